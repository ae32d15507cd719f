"""Fix 4: a live tracker's applied events and dialogue states continued for new events only.

Replaces `DialogueStateTracker.applied_events` and `DialogueStateTracker.past_states`. Every policy asks
the conversation for its dialogue states on every prediction, and Rasa rebuilds them by replaying the whole
conversation each time, after working out again which events apply. A live tracker now keeps Rasa's
`applied_events` loop and continues it for new events only (a copy takes it over; it starts again when a
name already seen as an action becomes a loop's, which changes how Rasa counts that action), and keeps the
replay itself (`Domain.states_for_tracker_history`, whose loop body it runs statement for statement), per
set of arguments: when the applied events have only grown, only the new ones are replayed. Callers get
copies, since they edit them. Falls back to replaying from the start when Rasa drops earlier events (a form
running again, a rewind, a new session); training trackers (Rasa's TrackerWithCachedStates, which caches on
its own) get Rasa's own methods, and a tracker that drops old events (`max_event_history`) Rasa's
`applied_events` loop over what is left.
"""

from __future__ import annotations

import itertools
import json
import operator
from dataclasses import dataclass, field
from typing import Any

from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

REPLACES = ("rasa.shared.core.trackers:DialogueStateTracker.applied_events",
            "rasa.shared.core.trackers:DialogueStateTracker.past_states")
TARGETS = (*REPLACES, "rasa.shared.core.trackers:DialogueStateTracker.generate_all_prior_trackers",
           "rasa.shared.core.domain:Domain.states_for_tracker_history")

_rasa_past_states = DialogueStateTracker.past_states
_rasa_applied_events = DialogueStateTracker.applied_events


def _copy_states(states: list[State]) -> list[State]:
    """States are dicts of dicts of strings, numbers and tuples: two levels of copying make them new."""
    return [{name: dict(sub_state) for name, sub_state in state.items()} for state in states]


@dataclass
class _StatesWalk:
    """Rasa's `Domain.states_for_tracker_history` as a walk that can be continued: the applied events
    replayed so far, the tracker they rebuilt, the state before each action among them, and the walk's
    two running values (the last action shown to ML policies, whether the current turn is hidden)."""

    domain: Domain
    replay: DialogueStateTracker
    applied: list[Event] = field(default_factory=list)
    states: list[State] = field(default_factory=list)
    last_ml_action: dict[str, Any] | None = None
    turn_hidden: bool = False

    def state_now(self, hide_rule_turn: bool, omit_unset_slots: bool, ignore_rule_only_turns: bool,
                  rule_only_data: dict[str, Any] | None) -> tuple[State | None, dict[str, Any] | None, bool]:
        """The state of the replayed tracker (None if hidden) and the two running values after it: the body
        of Rasa's loop, statement for statement."""
        domain, tracker = self.domain, self.replay
        last_ml_action, turn_hidden = self.last_ml_action, self.turn_hidden
        if ignore_rule_only_turns:
            if not turn_hidden:
                last_ml_action = domain._get_prev_action_sub_state(tracker)
            if not tracker.followup_action and tracker.latest_action_name != tracker.active_loop_name:
                turn_hidden = hide_rule_turn
            if turn_hidden:
                return None, last_ml_action, turn_hidden
        state = domain.get_active_state(tracker, omit_unset_slots=omit_unset_slots)
        if ignore_rule_only_turns:
            domain._remove_rule_only_features(state, rule_only_data)
            if self.states:
                domain._substitute_rule_only_user_input(state, self.states[-1])
            if last_ml_action:
                state[PREVIOUS_ACTION] = last_ml_action  # type: ignore[assignment]
        return domain._clean_state(state), last_ml_action, turn_hidden


@dataclass
class _AppliedFold:
    """Rasa's `applied_events` loop, kept so it can be continued: the events folded so far (their deque,
    how many, the last one), the applied events they leave, the loop names among them (Rasa takes those from
    all events), and the names of the actions among them (one of those becoming a loop name for the first
    time changes how it counted, so the fold starts again)."""

    events: Any = None
    seen: int = 0
    last: Event | None = None
    applied: list[Event] = field(default_factory=list)
    loop_names: set[str] = field(default_factory=set)
    executed: set[str] = field(default_factory=set)

    def follows(self, events: Any) -> bool:
        """Whether `events` are the folded ones plus newer ones (Rasa only ever appends to a tracker's)."""
        return (events is self.events and len(events) >= self.seen
                and (not self.seen or events[self.seen - 1] is self.last))

    def continued_by(self, events: Any) -> _AppliedFold:
        """An independent copy for a tracker copy whose `events` hold the same events."""
        return _AppliedFold(events, self.seen, self.last, list(self.applied), set(self.loop_names),
                            set(self.executed))

    def add(self, tracker: DialogueStateTracker, events: list[Event], loop_names: set[str]) -> None:
        """The body of Rasa's loop for each new event, statement for statement, with the loop names among
        them counted first (Rasa takes them from all events)."""
        self.loop_names |= loop_names
        applied = self.applied
        for event in events:
            if isinstance(event, (Restarted, SessionStarted)):
                applied.clear()
            elif isinstance(event, ActionReverted):
                tracker._undo_till_previous(ActionExecuted, applied)
            elif isinstance(event, UserUtteranceReverted):
                tracker._undo_till_previous(UserUttered, applied)
                tracker._undo_till_previous(ActionExecuted, applied)
            elif (isinstance(event, ActionExecuted) and event.action_name in self.loop_names
                  and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)):
                tracker._undo_till_previous_loop_execution(event.action_name, applied)
            else:
                applied.append(event)
            if isinstance(event, ActionExecuted):
                self.executed.add(event.action_name)
        self.seen += len(events)
        if events:
            self.last = events[-1]


def _loop_names(events: list[Event]) -> set[str]:
    return {event.name for event in events if isinstance(event, ActiveLoop) and event.name}


def _applied_events(self: DialogueStateTracker) -> list[Event]:
    events = self.events
    if type(self) is not DialogueStateTracker or events.maxlen is not None:
        return _rasa_applied_events(self)  # old events dropped: only Rasa's loop over what is left
    fold = self.__dict__.get("_applied_fold")
    if fold is None or not fold.follows(events):
        fold = _AppliedFold(events)
    new = list(itertools.islice(events, fold.seen, None))
    loop_names = _loop_names(new)
    if (loop_names - fold.loop_names) & fold.executed:  # a folded action is now a loop's: fold again
        fold, new = _AppliedFold(events), list(events)
        loop_names = _loop_names(new)
    fold.add(self, new, loop_names)
    self.__dict__["_applied_fold"] = fold
    return list(fold.applied)  # a fresh list: callers may edit it


def _extends(events: list[Event], prefix: list[Event]) -> bool:
    return len(prefix) <= len(events) and all(map(operator.is_, prefix, events))


def _past_states(self: DialogueStateTracker, domain: Domain, omit_unset_slots: bool = False,
                 ignore_rule_only_turns: bool = False, rule_only_data: dict[str, Any] | None = None
                 ) -> list[State]:
    if type(self) is not DialogueStateTracker:
        return _rasa_past_states(self, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    applied = self.applied_events()
    flags = (omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    walks: dict[tuple[Any, ...], _StatesWalk] = self.__dict__.setdefault("_states_walks", {})
    key = (omit_unset_slots, ignore_rule_only_turns, json.dumps(rule_only_data, sort_keys=True))
    walk = walks.get(key)
    if walk is None or walk.domain is not domain or not _extends(applied, walk.applied):
        walk = walks[key] = _StatesWalk(domain, self.init_copy())  # from the start, as Rasa does
    for event in applied[len(walk.applied):]:
        if isinstance(event, ActionExecuted):  # Rasa takes a state before each action
            state, walk.last_ml_action, walk.turn_hidden = walk.state_now(event.hide_rule_turn, *flags)
            if state is not None:
                walk.states.append(state)
        walk.replay.update(event)
    walk.applied = applied
    state, _, _ = walk.state_now(False, *flags)  # and one after the last event, not kept: more may follow
    return _copy_states(walk.states if state is None else [*walk.states, state])


def apply() -> None:
    DialogueStateTracker.applied_events = _applied_events  # type: ignore[method-assign]
    DialogueStateTracker.past_states = _past_states  # type: ignore[method-assign]
