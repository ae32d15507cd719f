"""bot/runtime/patches/incremental_states.py: the applied events and dialogue states are Rasa's at every point
of a growing conversation, however it grows."""

from __future__ import annotations

import random

import pytest
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    Event,
    LoopInterrupted,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.runtime.patches import incremental_states, tracker_copy
from tests.runtime.patches.dialogues import DOMAIN, conversation_so_far


@pytest.fixture(autouse=True)
def applied() -> None:
    """As in the Rasa server: the states are walked over the applied events the fold continues."""
    incremental_states.apply()


@pytest.mark.parametrize("flags", [{}, {"ignore_rule_only_turns": True, "rule_only_data": {"slots": ["x"]}},
                                   {"omit_unset_slots": True}])
def test_dialogue_states_are_the_same_as_rasas_and_asking_twice_gives_a_fresh_copy(flags: dict) -> None:
    for tracker in conversation_so_far():
        expected = incremental_states._rasa_past_states(tracker, DOMAIN, **flags)
        first = incremental_states._past_states(tracker, DOMAIN, **flags)
        for state in first:  # callers edit what they get, as Rasa's featurizers do
            state.clear()
        assert incremental_states._past_states(tracker, DOMAIN, **flags) == expected


def test_a_new_event_or_other_arguments_are_not_answered_from_memory() -> None:
    tracker = conversation_so_far()[6]
    before = incremental_states._past_states(tracker, DOMAIN)
    tracker.update(ActionExecuted("utter_goodbye"))
    assert incremental_states._past_states(tracker, DOMAIN) == incremental_states._rasa_past_states(tracker, DOMAIN)
    assert incremental_states._past_states(tracker, DOMAIN) != before
    assert (incremental_states._past_states(tracker, DOMAIN, omit_unset_slots=True)
            == incremental_states._rasa_past_states(tracker, DOMAIN, omit_unset_slots=True))


FLAG_SETS = [{}, {"omit_unset_slots": True},
             {"ignore_rule_only_turns": True, "rule_only_data": {"slots": ["current_theme"], "active_loops": []}},
             {"ignore_rule_only_turns": True, "rule_only_data": {"slots": [], "active_loops": ["rephrase_form"]}}]


def test_one_tracker_growing_event_by_event_gets_rasas_states_at_every_step() -> None:
    """The live case: the same tracker asked again after each new event, including events that make Rasa
    drop earlier ones (a form running again, a rewind, an undo, a new session)."""
    events = [*conversation_so_far()[-1].events,
              UserUttered("hi again", {"name": "greet"}), ActionExecuted("utter_greet", hide_rule_turn=True),
              BotUttered("hi"), ActionExecuted("action_listen"),
              UserUttered("you always forget", {"name": "state_accusation"}), ActionExecuted("rephrase_form"),
              ActiveLoop("rephrase_form"), SlotSet("requested_slot", "attempt"), ActionExecuted("action_listen"),
              UserUttered("i feel sad", {"name": "inform"}), ActionExecuted("rephrase_form"),
              SlotSet("attempt", "i feel sad"), ActionExecuted("action_listen"),
              UserUttered("oops", {"name": "deny"}), UserUtteranceReverted(),
              ActionExecuted("utter_goodbye"), ActionReverted(), ActionExecuted("action_listen"),
              ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
              UserUttered("hello", {"name": "greet"}), ActionExecuted("utter_greet")]
    tracker = DialogueStateTracker.from_events("grow", [], DOMAIN.slots)
    for event in events:
        tracker.update(event)
        applied = incremental_states._applied_events(tracker)
        applied.clear()  # callers may edit what they get
        assert incremental_states._applied_events(tracker) == incremental_states._rasa_applied_events(tracker), event
        for flags in FLAG_SETS:
            assert incremental_states._past_states(tracker, DOMAIN, **flags) == \
                incremental_states._rasa_past_states(tracker, DOMAIN, **flags), (event, flags)


def random_events(rng: random.Random, count: int) -> list[Event]:
    """Events of every kind Rasa's `applied_events` treats differently, in any order: loop runs and
    rejections, reverts, restarts, new sessions, and an action whose name becomes a loop's later."""
    kinds = [lambda: ActionExecuted("action_listen"), lambda: UserUttered("hi", {"name": "greet"}),
             lambda: ActionExecuted(rng.choice(["rephrase_form", "other_form", "utter_greet"])),
             lambda: ActiveLoop(rng.choice(["rephrase_form", "other_form", None])),
             lambda: ActionExecutionRejected(rng.choice(["rephrase_form", "other_form"])),
             lambda: SlotSet("current_theme", "jealousy"), lambda: BotUttered("ok"), UserUtteranceReverted,
             ActionReverted, Restarted, SessionStarted, lambda: LoopInterrupted(rng.random() < 0.5)]
    weights = [6, 6, 6, 3, 2, 2, 2, 1, 1, 0.3, 0.3, 1]
    return [rng.choices(kinds, weights)[0]() for _ in range(count)]


def test_applied_events_continued_event_by_event_are_rasas_for_random_conversations() -> None:
    rng = random.Random(7)
    for _ in range(300):
        tracker = DialogueStateTracker.from_events("applied", [], DOMAIN.slots)
        for event in random_events(rng, 40):
            tracker.update(event)
            if rng.random() < 0.3:  # not asked after every event: several new events at once
                continue
            assert incremental_states._applied_events(tracker) == incremental_states._rasa_applied_events(tracker)
            if rng.random() < 0.2:  # a copy continues on its own
                clone = tracker_copy._copy_tracker(tracker)
                clone.update(ActionExecuted("rephrase_form"))
                assert incremental_states._applied_events(clone) == incremental_states._rasa_applied_events(clone)
        assert incremental_states._applied_events(tracker) == incremental_states._rasa_applied_events(tracker)


def test_an_action_that_becomes_a_loops_name_later_is_counted_again() -> None:
    tracker = DialogueStateTracker.from_events("late", [], DOMAIN.slots)
    events = [ActionExecuted("action_listen"), UserUttered("a", {"name": "greet"}), ActionExecuted("late_form"),
              ActionExecuted("action_listen"), UserUttered("b", {"name": "greet"}), ActionExecuted("late_form")]
    for event in events:
        tracker.update(event)
        incremental_states._applied_events(tracker)
    tracker.update(ActiveLoop("late_form"))  # Rasa now treats the second run as the loop running again
    assert incremental_states._applied_events(tracker) == incremental_states._rasa_applied_events(tracker)
    assert len(incremental_states._applied_events(tracker)) < len(tracker.events)


def test_a_growing_tracker_is_replayed_only_from_where_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    starts: list[str] = []
    rasa_init_copy = DialogueStateTracker.init_copy
    monkeypatch.setattr(DialogueStateTracker, "init_copy",
                        lambda self: starts.append(self.sender_id) or rasa_init_copy(self))
    tracker = DialogueStateTracker.from_events("grow", conversation_so_far()[5].events, DOMAIN.slots)
    incremental_states._past_states(tracker, DOMAIN)
    for event in [UserUttered("hi", {"name": "greet"}), ActionExecuted("utter_greet"), BotUttered("hi")]:
        tracker.update(event)
        incremental_states._past_states(tracker, DOMAIN)
    assert starts == ["grow"]  # one replay from the start, then only the new events
    tracker.update(ActionReverted())  # earlier events no longer apply: replayed from the start again
    states = incremental_states._past_states(tracker, DOMAIN)
    assert len(starts) == 2
    assert states == incremental_states._rasa_past_states(tracker, DOMAIN)


def test_training_trackers_keep_their_own_cache() -> None:
    tracker = TrackerWithCachedStates.from_events("t", conversation_so_far()[-1].events, DOMAIN.slots,
                                                  domain=DOMAIN)
    incremental_states._past_states(tracker, DOMAIN)
    assert "_states_walks" not in tracker.__dict__
