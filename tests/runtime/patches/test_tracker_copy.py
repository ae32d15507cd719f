"""bot/runtime/patches/tracker_copy.py: a tracker's copy is Rasa's replayed copy at every point, and independent
of the original."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from rasa.shared.core.conversation import Dialogue
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActiveLoop,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    FollowupAction,
    LoopInterrupted,
    Restarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bot.runtime.patches import tracker_copy
from tests.runtime.patches.dialogues import DOMAIN, conversation_so_far


@pytest.fixture(autouse=True)
def applied() -> None:
    """As in the Rasa server: `recreate_from_dialogue` marks the trackers the stores load."""
    tracker_copy.apply()


EVERY_KIND_OF_TURN = [
    *conversation_so_far()[-1].events,
    UserUttered("you always forget", {"name": "state_accusation"}), ActionExecuted("rephrase_form"),
    ActiveLoop("rephrase_form"), SlotSet("requested_slot", "attempt"), ActionExecuted("action_listen"),
    UserUttered("stop", {"name": "stop"}), LoopInterrupted(True), ActionExecuted("rephrase_form"),
    ActionExecutionRejected("rephrase_form"), ActionExecuted("utter_ask_continue"), BotUttered("go on?"),
    FollowupAction("action_listen"), ActionExecuted("action_listen"), ConversationPaused(),
    UserUttered("hi", {"name": "greet"}), ConversationResumed(), UserUtteranceReverted(),
    ActionExecuted("action_restart"), Restarted(), ActionExecuted("action_listen"),
    UserUttered("hello", {"name": "greet"}, [{"entity": "cue", "value": "x", "start": 0, "end": 1}])]


def tracker_state(tracker: DialogueStateTracker) -> dict[str, Any]:
    """Everything a tracker's events build, as comparable values."""
    return {**tracker.current_state(EventVerbosity.ALL), "events": [id(event) for event in tracker.events],
            "slots": {name: (slot.value, slot.has_been_set) for name, slot in tracker.slots.items()},
            "active_loop": copy.copy(tracker.active_loop), "followup": tracker.followup_action,
            "message": tracker.latest_message, "bot": tracker.latest_bot_utterance, "action": tracker.latest_action,
            "ids": (tracker.model_id, tracker.assistant_id, tracker.sender_source, tracker.is_rule_tracker)}


def test_a_tracker_copy_is_rasas_copy_at_every_point_and_independent_of_the_original() -> None:
    tracker = DialogueStateTracker.from_events("copy", [], DOMAIN.slots)
    tracker.model_id = "model"
    for event in EVERY_KIND_OF_TURN:
        tracker.update(event)
        ours, rasas = tracker_copy._copy_tracker(tracker), tracker_copy._rasa_copy(tracker)
        assert tracker_state(ours) == tracker_state(rasas), event
        before = tracker_state(tracker)
        changes = [ActionExecuted("action_listen"), SlotSet("current_theme", "overanalyze")]
        for clone in (ours, rasas):
            for change in changes:
                clone.update(change)
            clone.interrupt_loop(True)
            clone.reject_action("rephrase_form")
        assert tracker_state(ours) == tracker_state(rasas)
        assert tracker_state(tracker) == before
        tracker.clear_followup_action()  # as the processor does before running a follow-up action
        assert tracker_state(tracker_copy._copy_tracker(tracker)) == tracker_state(tracker_copy._rasa_copy(tracker))


@pytest.mark.parametrize("build", ["recreate_from_dialogue", "max_event_history"])
def test_a_tracker_whose_state_its_events_would_not_rebuild_is_copied_as_rasa_does(build: str) -> None:
    """A form that ran again: Rasa's applied events drop the repeated run and the message before it."""
    events = [ActionExecuted("action_listen"), UserUttered("you never listen", {"name": "state_accusation"}),
              ActionExecuted("rephrase_form"), ActiveLoop("rephrase_form"), SlotSet("requested_slot", "attempt"),
              ActionExecuted("action_listen"), UserUttered("i feel sad", {"name": "inform"}),
              ActionExecuted("rephrase_form"), SlotSet("attempt", "i feel sad")]
    if build == "recreate_from_dialogue":  # how Rasa's in-memory and Redis stores load a conversation
        tracker = DialogueStateTracker("d", DOMAIN.slots)
        tracker.recreate_from_dialogue(Dialogue("d", events))
    else:
        tracker = DialogueStateTracker.from_events("d", events, DOMAIN.slots, max_event_history=4)
    assert tracker_state(tracker_copy._copy_tracker(tracker)) == tracker_state(tracker_copy._rasa_copy(tracker))
