"""actions/coach.py with CollectingDispatcher: the I-statement exercise, turn by turn."""

from __future__ import annotations

from typing import Any, Dict

from actions.coach import (
    ActionAskAttempt,
    ActionAskOriginalSentence,
    ActionOfferRephrasing,
    ActionShowProgress,
    ActionStopRephrasing,
    ValidateRephraseForm,
)
from bot.coach import assess
from tests.trackers import buttons, run_action, said, slot_events, tracker

# What the form's slots hold once it has ended: nothing of this sentence is kept, only progress.
CLEARED = {"original_sentence": None, "attempt": None, "coach_tries": 0.0, "coach_best": None,
           "requested_slot": None}

ACCUSATION = "You never listen to me"
PSEUDO = "I feel like you never listen to me"
COMPLETE = ("I feel lonely when you look at your phone while I'm talking, because I need to feel heard. "
            "Could we put our phones away at dinner?")


def form_turn(slot: str, value: str, slots: Dict[str, Any] | None = None):
    """The tracker the validation action sees right after the person answered `slot`."""
    values = {"requested_slot": slot, slot: value, **(slots or {})}
    events = [{"event": "user", "text": value, "parse_data": {"intent": {"name": "state_accusation"}}},
              {"event": "slot", "name": slot, "value": value}]
    return tracker("state_accusation", value, slots=values, active_loop="rephrase_form", events=events)


def test_offer_after_an_accusation_keeps_the_sentence() -> None:
    events, dispatcher = run_action(ActionOfferRephrasing(), tracker("state_accusation", ACCUSATION))
    assert "I-statement" in said(dispatcher)
    assert buttons(dispatcher) == ["Yes, let's practise", "Not now"]
    assert slot_events(events) == {"original_sentence": ACCUSATION}


def test_a_finished_i_statement_outside_the_exercise_is_recognised_not_offered_for_rewording() -> None:
    events, dispatcher = run_action(ActionOfferRephrasing(), tracker("state_accusation", COMPLETE))
    text = said(dispatcher)
    assert "complete I-statement" in text and "frustration" not in text
    assert buttons(dispatcher) == ["Try another sentence", "Not now"]
    assert slot_events(events) == {"original_sentence": None}


def test_no_offer_after_an_abuse_disclosure() -> None:
    events, dispatcher = run_action(ActionOfferRephrasing(), tracker(
        "state_accusation", ACCUSATION, slots={"abuse_disclosed": True}))
    assert "won't suggest a couples exercise" in said(dispatcher)
    assert "Yes, let's practise" not in buttons(dispatcher)
    assert slot_events(events) == {}


def test_the_starting_sentence_is_explained_then_the_attempt_is_asked() -> None:
    events, dispatcher = run_action(ValidateRephraseForm(), form_turn("original_sentence", ACCUSATION))
    text = said(dispatcher)
    assert "never" in text and "feeling" in text and "request" in text
    slots = slot_events(events)
    assert slots["original_sentence"] == ACCUSATION
    assert slots.get("attempt") is None


def test_a_weak_attempt_gets_feedback_and_is_asked_again() -> None:
    events, dispatcher = run_action(ValidateRephraseForm(), form_turn(
        "attempt", PSEUDO, {"original_sentence": ACCUSATION, "coach_tries": 0.0}))
    slots = slot_events(events)
    assert slots["attempt"] is None  # asked again
    assert slots["coach_tries"] == 1.0
    assert slots["coach_best"] == PSEUDO
    assert slots["coach_progress"]["attempts"] == 1
    assert "feel like" in said(dispatcher).lower()


def test_a_real_i_statement_ends_the_form_with_what_improved_and_the_offer_of_one_more() -> None:
    events, dispatcher = run_action(ValidateRephraseForm(), form_turn(
        "attempt", COMPLETE, {"original_sentence": ACCUSATION, "coach_tries": 1.0, "coach_best": PSEUDO,
                              "coach_progress": {"attempts": 1, "best_score": assess(PSEUDO).score,
                                                 "completed": 0, "missing": {"feeling": 1}}}))
    slots = slot_events(events)
    assert {name: slots[name] for name in CLEARED} == CLEARED
    assert slots["pending_offer"] == "one_more_sentence"  # a typed "yes" starts the exercise again
    assert slots["coach_progress"] == {"attempts": 2, "best_score": 100, "completed": 1,
                                       "missing": {"feeling": 1}}
    text = said(dispatcher)
    assert str(assess(PSEUDO).score) in text  # the score it improved on
    assert dispatcher.messages[-1]["text"] == "Want to try one more sentence?"
    assert assess(ACCUSATION).suggestion not in text
    assert buttons(dispatcher) == ["Try another sentence", "Not now"]


def test_the_third_try_ends_the_form_with_a_rewrite_from_their_own_words() -> None:
    events, dispatcher = run_action(ValidateRephraseForm(), form_turn(
        "attempt", ACCUSATION, {"original_sentence": ACCUSATION, "coach_tries": 2.0}))
    slots = slot_events(events)
    assert {name: slots[name] for name in CLEARED} == CLEARED
    assert slots["coach_progress"]["attempts"] == 1
    suggestion = assess(ACCUSATION).suggestion
    assert suggestion and suggestion in said(dispatcher)
    assert "you never" not in suggestion.lower()
    assert "Want to try another sentence?" in said(dispatcher)
    assert buttons(dispatcher) == ["Try another sentence", "Not now"]


def test_a_complete_starting_sentence_is_celebrated_and_ends_the_form() -> None:
    events, dispatcher = run_action(ValidateRephraseForm(), form_turn("original_sentence", COMPLETE))
    slots = slot_events(events)
    assert {name: slots[name] for name in CLEARED} == CLEARED
    assert "complete I-statement" in said(dispatcher)
    assert dispatcher.messages[-1]["text"] == "Want to try one more sentence?"


def test_the_form_ends_at_once_while_safety_comes_first() -> None:
    for slots in ({"crisis_hold": True}, {"abuse_disclosed": True}):
        events, dispatcher = run_action(ValidateRephraseForm(),
                                        form_turn("original_sentence", ACCUSATION, slots))
        changed = slot_events(events)
        assert {name: changed[name] for name in CLEARED} == CLEARED  # the form ends at once, keeping nothing
        assert changed.get("pending_offer") != "one_more_sentence"
        assert said(dispatcher) and "one more" not in said(dispatcher)


def test_stop_resets_the_exercise() -> None:
    events, dispatcher = run_action(ActionStopRephrasing(), tracker(
        "stop", "stop", slots={"original_sentence": ACCUSATION, "coach_tries": 2.0}))
    assert "no exercise for now" in said(dispatcher)
    assert slot_events(events)["original_sentence"] is None and slot_events(events)["coach_tries"] == 0.0


def test_progress_shows_attempts_best_score_and_most_missing_part() -> None:
    progress = {"attempts": 3, "best_score": 70, "completed": 1, "missing": {"need": 2, "request": 1}}
    _, dispatcher = run_action(ActionShowProgress(), tracker("ask_progress", slots={"coach_progress": progress}))
    text = said(dispatcher)
    assert "3 attempts" in text and "70 out of 100" in text and "1 complete I-statement" in text
    assert "most often missing is the need" in text


def test_progress_before_any_practice_invites_to_try() -> None:
    _, dispatcher = run_action(ActionShowProgress(), tracker("ask_progress"))
    assert "haven't practised" in said(dispatcher)
    assert buttons(dispatcher) == ["Practise an I-statement"]


def test_the_questions_change_with_each_try() -> None:
    _, first = run_action(ActionAskOriginalSentence(), tracker("practice_rephrasing"))
    assert "You never listen to me" in said(first)
    asked = {said(run_action(ActionAskAttempt(), tracker("x", slots={"coach_tries": float(n)}))[1])
             for n in range(3)}
    assert len(asked) == 3
