"""actions/answers.py: a typed yes or no answers the question the bot's last turn asked, and only that one."""

from __future__ import annotations

from actions.answers import ActionAnswerNo, ActionAnswerYes
from bot.help import professional_help
from bot.strategies import catalogue
from tests.trackers import after_question, buttons, run_action, said, slot_events, tracker


def answer(action, question, text="yes", **slots):
    return run_action(action, tracker("affirm" if action is ActionAnswerYes else "deny", text,
                                      slots=slots, events=after_question(question, text)))


def test_yes_after_a_strategy_gives_another_idea() -> None:
    first = catalogue.next_strategy("seek_reassurance", [])
    events, dispatcher = answer(ActionAnswerYes(), "another_idea", current_theme="seek_reassurance",
                                strategies_given=[first.id])
    given = slot_events(events)["strategies_given"]
    assert given[0] == first.id and len(given) == 2
    assert buttons(dispatcher)[:1] == ["Another idea"]


def test_yes_after_the_help_offer_explains_professional_help() -> None:
    events, dispatcher = answer(ActionAnswerYes(), "professional_help")
    assert professional_help()["kinds"] in said(dispatcher)
    assert slot_events(events)["pending_offer"] is None


def test_yes_to_are_you_safe_lifts_the_hold() -> None:
    events, dispatcher = answer(ActionAnswerYes(), "are_you_safe", crisis_hold=True)
    assert "glad you're safe" in said(dispatcher)
    assert slot_events(events)["crisis_hold"] is False


def test_no_to_are_you_safe_gives_the_emergency_number_first_and_keeps_the_hold() -> None:
    events, dispatcher = answer(ActionAnswerNo(), "are_you_safe", "no", crisis_hold=True, country="US")
    assert "911" in dispatcher.messages[0]["text"]
    assert slot_events(events)["crisis_hold"] is True


def test_yes_to_the_check_in_gives_every_line_and_asks_if_safe() -> None:
    events, dispatcher = answer(ActionAnswerYes(), "check_in", country="GB")
    text = said(dispatcher)
    assert "116 123" in text and "0808 2000 247" in text and "999" in text
    assert dispatcher.messages[-1]["text"] == "Are you safe right now?"
    assert slot_events(events)["crisis_hold"] is True


def test_no_to_the_check_in_is_taken_at_its_word() -> None:
    events, dispatcher = answer(ActionAnswerNo(), "check_in", "no")
    assert "If that ever changes" in said(dispatcher)
    assert "crisis_hold" not in slot_events(events)


def test_no_to_an_offer_asks_what_would_help() -> None:
    _, dispatcher = answer(ActionAnswerNo(), "another_idea", "no")
    assert "What would help most" in said(dispatcher)


def test_yes_to_one_more_sentence_starts_the_exercise_again() -> None:
    events, dispatcher = answer(ActionAnswerYes(), "one_more_sentence", "yes please")
    assert events == [{"event": "slot", "timestamp": None, "name": "pending_offer", "value": None},
                      {"event": "followup", "timestamp": None, "name": "rephrase_form"}]
    assert dispatcher.messages == []  # the form asks its own first question


def test_no_to_one_more_sentence_asks_what_would_help() -> None:
    events, dispatcher = answer(ActionAnswerNo(), "one_more_sentence", "no thanks")
    assert "What would help most" in said(dispatcher)
    assert "followup" not in [e["event"] for e in events]


def test_a_question_from_an_older_turn_is_not_answered() -> None:
    events = [*after_question("professional_help", "thanks")[:-1],
              {"event": "user", "text": "thanks"}, {"event": "action", "name": "utter_you_are_welcome"},
              {"event": "action", "name": "action_listen"}, {"event": "user", "text": "yes"}]
    _, dispatcher = run_action(ActionAnswerYes(), tracker("affirm", "yes", events=events))
    assert professional_help()["kinds"] not in said(dispatcher)
    assert "What would help most" in said(dispatcher)
