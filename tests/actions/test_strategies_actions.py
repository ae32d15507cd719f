"""actions/catalogue.py with CollectingDispatcher: what a person sees after a theme message or a tip request."""

from __future__ import annotations

import pytest

from actions.strategies import ActionSuggestStrategy
from bot.help import professional_help
from bot.strategies import catalogue
from tests.trackers import buttons, entity, run_action, said, slot_events, tracker

MAIN_BUTTONS = ["Another idea", "Practise an I-statement", "Should I talk to a professional?"]


@pytest.mark.parametrize("theme", catalogue.THEMES)
def test_theme_message_gets_reflection_strategy_and_buttons(theme: str) -> None:
    events, dispatcher = run_action(ActionSuggestStrategy(), tracker(theme, text="something happened"))
    first = catalogue.next_strategy(theme, [])
    assert first is not None
    assert catalogue.strategy_message(first) in said(dispatcher)
    assert len(dispatcher.messages) == 2  # reflection, then the strategy with its buttons
    assert buttons(dispatcher) == MAIN_BUTTONS
    slots = slot_events(events)
    assert slots["current_theme"] == theme
    assert slots["strategies_given"] == [first.id]
    assert slots["disclosures"] == 1.0


def test_reflection_quotes_the_cue_of_the_detected_theme() -> None:
    cues = [entity("cue", "his ex", role="express_jealousy"), entity("cue", "insta", role="compare_to_others")]
    _, dispatcher = run_action(ActionSuggestStrategy(),
                               tracker("express_jealousy", "he follows his ex on insta", cues))
    assert "his ex" in dispatcher.messages[0]["text"]
    assert "insta" not in dispatcher.messages[0]["text"]


def test_another_idea_never_repeats_until_everything_is_used() -> None:
    theme = "overanalyze"
    given: list = []
    for _ in range(100):
        events, dispatcher = run_action(
            ActionSuggestStrategy(),
            tracker("request_strategy", "another idea",
                    slots={"current_theme": theme, "strategies_given": given}))
        now = slot_events(events)["strategies_given"]
        if now == given:  # nothing new was given: everything reachable is used up
            assert "every idea I have" in said(dispatcher)
            break
        assert len(now) == len(given) + 1 and now[-1] not in given
        given = now
    own = _theme_ids(theme)
    assert set(given[: len(own)]) == own, "the theme's own strategies come first"
    assert len(given) > len(own), "then it moves on to related themes"


def _theme_ids(theme: str) -> set:
    ids, given = set(), []
    while (s := catalogue.next_strategy(theme, given)) is not None and s.theme == theme:
        ids.add(s.id)
        given.append(s.id)
    return ids


def test_quick_tip_without_a_theme_asks_which_one() -> None:
    events, dispatcher = run_action(ActionSuggestStrategy(), tracker("request_strategy", "quick tip"))
    assert "closest" in said(dispatcher)
    assert buttons(dispatcher) == [b["title"] for b in catalogue.theme_buttons()]
    assert slot_events(events) == {}


def test_no_strategies_while_waiting_to_hear_they_are_safe() -> None:
    events, dispatcher = run_action(ActionSuggestStrategy(),
                                    tracker("express_jealousy", "so jealous", slots={"crisis_hold": True}))
    assert slot_events(events) == {"pending_offer": "are_you_safe"}
    assert buttons(dispatcher) == ["Yes, I'm safe right now", "No, I'm not safe"]
    assert all(catalogue.strategy_message(s) not in said(dispatcher) for s in _all_strategies())


def _all_strategies() -> list:
    given: list = []
    while (s := catalogue.next_strategy(catalogue.THEMES[0], given)) is not None:
        given.append(s.id)
        yield s


def test_after_abuse_no_couples_exercises_and_no_coach_button() -> None:
    given: list = []
    for _ in range(6):
        events, dispatcher = run_action(
            ActionSuggestStrategy(),
            tracker("communication_breakdown", "we keep fighting",
                    slots={"abuse_disclosed": True, "strategies_given": given}))
        assert "Practise an I-statement" not in buttons(dispatcher)
        given = slot_events(events)["strategies_given"]
    kinds = {s.kind for s in _all_strategies() if s.id in given}
    assert kinds <= {"self_esteem", "professional_help"}


def test_professional_help_offered_once_after_three_disclosures() -> None:
    offer = professional_help()["offer"]
    events, dispatcher = run_action(ActionSuggestStrategy(),
                                    tracker("fear_abandonment", "scared", slots={"disclosures": 2.0}))
    assert offer in said(dispatcher)
    assert slot_events(events)["help_offered"] is True
    assert slot_events(events)["pending_offer"] == "professional_help"
    _, again = run_action(ActionSuggestStrategy(), tracker(
        "fear_abandonment", "scared", slots={"disclosures": 3.0, "help_offered": True}))
    assert offer not in said(again)


def test_heavy_distress_in_one_message_offers_professional_help() -> None:
    _, dispatcher = run_action(ActionSuggestStrategy(), tracker(
        "low_self_esteem", "i've felt worthless for years and i have panic attacks every day"))
    assert professional_help()["offer"] in said(dispatcher)


def test_first_disclosure_without_distress_makes_no_offer() -> None:
    _, dispatcher = run_action(ActionSuggestStrategy(), tracker("overanalyze", "he replied with just k"))
    assert professional_help()["offer"] not in said(dispatcher)


def test_ambiguous_wording_gets_the_strategy_and_a_gentle_check_in_last() -> None:
    events, dispatcher = run_action(ActionSuggestStrategy(), tracker(
        "communication_breakdown", "this fighting is killing me",
        [entity("safety_check", "killing me")]))
    assert len(dispatcher.messages) == 3  # reflection, strategy, check-in
    assert "Try this:" in dispatcher.messages[1]["text"]
    assert '"killing me"' in dispatcher.messages[2]["text"]
    assert [b["title"] for b in dispatcher.messages[2]["buttons"]] == [
        "I'm thinking of hurting myself", "Someone is hurting me", "No, I'm okay"]
    assert slot_events(events)["pending_offer"] == "check_in"  # a typed yes answers the check-in


def test_ambiguous_wording_without_a_theme_still_gets_the_check_in() -> None:
    """ "i can't do this anymore, i'm done with everything" read as a tip request in a new conversation: the
    theme question must not swallow the check-in."""
    events, dispatcher = run_action(ActionSuggestStrategy(), tracker(
        "request_strategy", "i can't do this anymore, i'm done with everything",
        [entity("safety_check", "done with everything")]))
    assert "closest" in dispatcher.messages[0]["text"]
    assert '"done with everything"' in dispatcher.messages[-1]["text"]
    assert [b["title"] for b in dispatcher.messages[-1]["buttons"]] == [
        "I'm thinking of hurting myself", "Someone is hurting me", "No, I'm okay"]
    assert slot_events(events)["pending_offer"] == "check_in"
