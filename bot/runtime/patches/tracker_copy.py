"""Fix 8: a tracker copied by taking over its state instead of replaying every event.

Replaces `DialogueStateTracker.copy` (Rasa's replays every event into a fresh tracker, before each action)
and `DialogueStateTracker.recreate_from_dialogue` (Rasa's, marking the tracker). The copy takes over what
the replay would rebuild: the events, each slot, the latest action, message and bot message, the active
loop, the pause, and the follow-up action the events leave (worked out from the events as their `apply_to`
methods set it). It falls back to Rasa's replay after a rewind (only a replay can tell the follow-up
action), for a tracker loaded from its applied events only (Rasa's in-memory and Redis stores: the marked
ones), for one that drops old events (`max_event_history`) and for any other kind of tracker: there the
events alone would not rebuild its state.
"""

from __future__ import annotations

import copy
from typing import Any

from rasa.shared.constants import DEFAULT_SENDER_ID
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    FollowupAction,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import AnySlotDict, DialogueStateTracker

REPLACES = ("rasa.shared.core.trackers:DialogueStateTracker.copy",
            "rasa.shared.core.trackers:DialogueStateTracker.recreate_from_dialogue")
TARGETS = (*REPLACES, *(f"rasa.shared.core.trackers:DialogueStateTracker.{name}"
                        for name in ("__init__", "init_copy", "travel_back_in_time", "_reset")),
           *(f"rasa.shared.core.events:{event.__name__}.apply_to"
             for event in (UserUttered, ActionExecuted, FollowupAction, Restarted, SessionStarted,
                           UserUtteranceReverted, ActionReverted)))

_rasa_copy = DialogueStateTracker.copy
_rasa_recreate = DialogueStateTracker.recreate_from_dialogue


def _one_of(events: Any, item: Any) -> bool:
    return any(event is item for event in reversed(events))


def _followup_from_events(events: Any) -> tuple[bool, str | None]:
    """The follow-up action a replay of `events` ends with, as (True, name), or (False, None) when only a
    replay can tell. The processor clears the live tracker's follow-up action before running it, outside
    any event, so the live value is not what Rasa's replayed copy has."""
    for event in reversed(events):
        apply_to = type(event).apply_to
        if apply_to in (UserUttered.apply_to, ActionExecuted.apply_to):
            return True, None
        if apply_to is FollowupAction.apply_to:
            return True, event.action_name
        if apply_to is Restarted.apply_to:
            return True, ACTION_SESSION_START_NAME
        if apply_to is SessionStarted.apply_to:
            return True, ACTION_LISTEN_NAME
        if apply_to in (UserUtteranceReverted.apply_to, ActionReverted.apply_to):
            return False, None
    return True, ACTION_LISTEN_NAME


def _copy_tracker(self: DialogueStateTracker) -> DialogueStateTracker:
    """Rasa's `tracker.copy()` replays every event into a fresh tracker; this copies what that replay
    rebuilds instead: the events, each slot, the latest action, message and bot message, the active loop,
    the pause, and the follow-up action the events leave. Like Rasa's, the copy starts as `init_copy()`
    does (no model or assistant id), shares the event objects, and can be changed without changing this
    tracker. A fold of the applied events (incremental_states) is continued by the copy."""
    known, followup = _followup_from_events(self.events)
    if (type(self) is not DialogueStateTracker or isinstance(self.slots, AnySlotDict) or not known
            or self._max_event_history is not None or self.__dict__.get("_rebuilt_from_applied_events")):
        return _rasa_copy(self)  # a state the events alone would not rebuild, or events already dropped
    # What `init_copy()` makes, without its copies of the slots (reset on the way): copied once, below.
    clone = DialogueStateTracker(self.sender_id or DEFAULT_SENDER_ID, None, self._max_event_history,
                                 is_rule_tracker=self.is_rule_tracker)
    clone.events.extend(self.events)
    clone.slots = {name: copy.copy(slot) for name, slot in self.slots.items()}
    clone._paused = self._paused
    clone.followup_action = followup
    clone.latest_action = None if self.latest_action is None else dict(self.latest_action)
    if _one_of(self.events, self.latest_message):  # else the empty placeholder `init_copy` made stays
        clone.latest_message = self.latest_message
    if _one_of(self.events, self.latest_bot_utterance):
        clone.latest_bot_utterance = self.latest_bot_utterance
    clone.active_loop = copy.copy(self.active_loop)
    fold = self.__dict__.get("_applied_fold")
    if fold is not None and fold.follows(self.events):  # same events: the copy continues from here
        clone.__dict__["_applied_fold"] = fold.continued_by(clone.events)
    return clone


def _recreate_from_dialogue(self: DialogueStateTracker, dialogue: Any) -> None:
    """Rasa's, marking the tracker: its state now comes from the applied events only (the in-memory and
    Redis stores load conversations this way), which Rasa's replaying copy would not rebuild."""
    _rasa_recreate(self, dialogue)
    self.__dict__["_rebuilt_from_applied_events"] = True


def apply() -> None:
    DialogueStateTracker.copy = _copy_tracker  # type: ignore[method-assign]
    DialogueStateTracker.recreate_from_dialogue = _recreate_from_dialogue  # type: ignore[method-assign]
