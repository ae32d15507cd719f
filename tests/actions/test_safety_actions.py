"""actions/safety.py, actions/help.py and actions/privacy.py with CollectingDispatcher."""

from __future__ import annotations

import pytest

from actions.help import ActionProfessionalHelp
from actions.privacy import ActionForgetMe
from actions.safety import ActionAbuseResponse, ActionCrisisResponse, ActionSafeAgain, ActionSetCountry
from bot.help import professional_help
from tests.trackers import buttons, entity, run_action, said, slot_events, tracker


def test_crisis_without_a_country_gives_international_options_and_asks_if_safe() -> None:
    events, dispatcher = run_action(ActionCrisisResponse(), tracker("crisis_self_harm", "i want to die"))
    text = said(dispatcher)
    assert "findahelpline.com" in text
    assert "not a person" in text
    assert dispatcher.messages[-1]["text"] == "Are you safe right now?"
    assert buttons(dispatcher) == ["Yes, I'm safe right now", "No, I'm not safe"]
    assert slot_events(events) == {"crisis_hold": True, "pending_offer": "are_you_safe"}


@pytest.mark.parametrize("country, numbers", [
    ("US", ["988", "741741", "911"]),
    ("GB", ["116 123", "999"]),
    ("CA", ["9-8-8", "911"]),
    ("IE", ["116 123", "112"]),
    ("AU", ["13 11 14", "000"]),
    ("IN", ["14416", "112"]),
])
def test_crisis_uses_the_country_from_the_slot_and_says_so(country: str, numbers: list) -> None:
    _, dispatcher = run_action(ActionCrisisResponse(),
                               tracker("crisis_self_harm", "i want to end it", slots={"country": country}))
    text = said(dispatcher)
    for number in numbers:
        assert number in text
    assert "If you're somewhere else" in text


def test_a_country_named_in_the_message_wins_over_the_slot() -> None:
    _, dispatcher = run_action(ActionCrisisResponse(), tracker(
        "crisis_self_harm", "im in the uk and i want to die", [entity("country", "GB")],
        slots={"country": "US"}))
    assert "116 123" in said(dispatcher) and "988" not in said(dispatcher)


def test_figurative_wording_predicted_as_crisis_gets_a_gentle_check_in() -> None:
    events, dispatcher = run_action(ActionCrisisResponse(), tracker(
        "crisis_self_harm", "this is killing me", [entity("safety_check", "this is killing me")]))
    assert '"this is killing me"' in said(dispatcher)
    assert buttons(dispatcher) == ["I'm thinking of hurting myself", "Someone is hurting me", "No, I'm okay"]
    assert slot_events(events) == {"pending_offer": "check_in"}  # a question, not a hold


def test_an_unsure_signal_still_answers_the_theme_then_checks_in() -> None:
    ranking = [{"name": "crisis_self_harm", "confidence": 0.8}, {"name": "overanalyze", "confidence": 0.15}]
    t = tracker("crisis_self_harm", "his reply killed me", [entity("safety_check", "unconfirmed")])
    t.latest_message["intent_ranking"] = ranking
    events, dispatcher = run_action(ActionCrisisResponse(), t)
    assert "Try this:" in said(dispatcher) and "worries me a little" in dispatcher.messages[-1]["text"]
    assert slot_events(events)["current_theme"] == "overanalyze"
    assert slot_events(events)["pending_offer"] == "check_in"
    assert "crisis_hold" not in slot_events(events)


def test_an_unconfirmed_signal_gets_a_check_in_without_quoting() -> None:
    for action, intent in ((ActionCrisisResponse(), "crisis_self_harm"), (ActionAbuseResponse(), "disclose_abuse")):
        events, dispatcher = run_action(action, tracker(intent, "my phone is dying",
                                                        [entity("safety_check", "unconfirmed")]))
        assert "worries me a little" in said(dispatcher) and "unconfirmed" not in said(dispatcher)
        assert slot_events(events) == {"pending_offer": "check_in"}


@pytest.mark.parametrize("country, numbers", [
    ("US", ["1-800-799-7233", "911"]),
    ("GB", ["0808 2000 247", "999"]),
    ("IE", ["1800 341 900"]),
    ("AU", ["1800 737 732", "000"]),
    ("IN", ["181", "112"]),
])
def test_abuse_response(country: str, numbers: list) -> None:
    events, dispatcher = run_action(ActionAbuseResponse(),
                                    tracker("disclose_abuse", "he hits me", slots={"country": country}))
    text = said(dispatcher)
    assert "not your fault" in text
    for number in numbers:
        assert number in text
    assert "couples exercises" in text
    assert "Practise an I-statement" not in buttons(dispatcher)
    assert slot_events(events) == {"abuse_disclosed": True, "pending_offer": None}


def test_safe_again_lifts_the_hold() -> None:
    events, dispatcher = run_action(ActionSafeAgain(), tracker("confirm_safe", "im safe",
                                                               slots={"crisis_hold": True}))
    assert "glad you're safe" in said(dispatcher)
    assert slot_events(events) == {"crisis_hold": False, "pending_offer": None}


def test_country_switch_lists_that_countrys_lines() -> None:
    _, dispatcher = run_action(ActionSetCountry(), tracker("inform_country", "I'm in Australia",
                                                           [entity("country", "AU")], slots={"country": "US"}))
    text = said(dispatcher)
    assert "Australia" in text and "13 11 14" in text and "988" not in text


def test_unknown_country_gets_the_international_lines_and_says_why() -> None:
    _, dispatcher = run_action(ActionSetCountry(), tracker("inform_country", "I'm in Brazil"))
    assert "don't have numbers for that country" in said(dispatcher)
    assert "findahelpline.com" in said(dispatcher)


def test_professional_help_covers_when_kinds_finding_and_cost() -> None:
    events, dispatcher = run_action(ActionProfessionalHelp(), tracker("ask_professional_help"))
    text = said(dispatcher)
    for part in ("when_it_helps", "kinds", "how_to_find", "low_cost"):
        assert professional_help()[part] in text
    assert "Gottman" in text and "CBT" in text
    assert slot_events(events) == {"help_offered": True}


def test_forget_me_says_so_signals_the_widget_and_restarts() -> None:
    events, dispatcher = run_action(ActionForgetMe(), tracker("affirm", "yes"))
    assert "deleted" in said(dispatcher)
    assert {"forget": True} in [m.get("custom") for m in dispatcher.messages]
    assert events[-1]["event"] == "restart"
