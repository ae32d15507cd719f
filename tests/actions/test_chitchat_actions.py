"""actions/chitchat.py and actions/privacy.py: small talk, the answers for messages the bot cannot take in,
and the forget-me question, each with its words from data/wording/ and a way on."""

from __future__ import annotations

import pytest

from actions.chitchat import (
    ActionFallback,
    ActionGreet,
    ActionNotHelpful,
    ActionOutOfScope,
    ActionSayBot,
    ActionSayGoodbye,
    ActionYouAreWelcome,
)
from actions.privacy import ActionConfirmForget, ActionKeepData
from bot.dialogue.wording import texts
from bot.strategies import catalogue
from tests.trackers import buttons, run_action, said, tracker

CHITCHAT = texts("chitchat")


def test_the_greeting_says_what_the_bot_is_and_offers_the_main_themes_and_practice() -> None:
    _, dispatcher = run_action(ActionGreet(), tracker("greet", "hi"))
    assert said(dispatcher) == CHITCHAT["greet"]["text"]
    assert "not a therapist" in said(dispatcher)
    assert buttons(dispatcher) == [b["title"] for b in catalogue.theme_buttons()] + ["Practise an I-statement"]


@pytest.mark.parametrize(("action", "key"), [(ActionSayGoodbye(), "goodbye"),
                                             (ActionYouAreWelcome(), "you_are_welcome")])
def test_small_talk_varies_its_words_between_turns(action, key) -> None:
    seen = {said(run_action(action, tracker("greet", "x", events=[{"event": "user"}] * n))[1])
            for n in range(4)}
    assert seen == set(CHITCHAT[key])


def test_the_bot_says_it_is_a_bot_and_not_a_therapist() -> None:
    _, dispatcher = run_action(ActionSayBot(), tracker("bot_challenge", "are you a real person"))
    assert said(dispatcher) == CHITCHAT["iamabot"] and "not a person" in CHITCHAT["iamabot"]


@pytest.mark.parametrize(("action", "key", "expected"), [
    (ActionOutOfScope(), "out_of_scope", ["I feel jealous", "Practise an I-statement",
                                          "Should I talk to a professional?"]),
    (ActionNotHelpful(), "not_helpful", ["A different idea", "Practise what to say", "Talking to a professional"]),
])
def test_replies_that_set_a_message_aside_offer_ways_on(action, key, expected) -> None:
    _, dispatcher = run_action(action, tracker("out_of_scope", "what's the weather"))
    assert said(dispatcher) == CHITCHAT[key]["text"]
    assert buttons(dispatcher) == expected


@pytest.mark.parametrize(("entity", "key"), [("empty_message", "empty_message"),
                                             ("message_too_long", "message_too_long"),
                                             (None, "not_understood")])
def test_the_fallback_says_why_it_could_not_take_the_message_in(entity, key) -> None:
    entities = [{"entity": entity, "value": entity}] if entity else []
    _, dispatcher = run_action(ActionFallback(), tracker("nlu_fallback", "zzz", entities=entities))
    entry = CHITCHAT[key]
    assert said(dispatcher) == (entry["text"] if isinstance(entry, dict) else entry)


def test_forget_me_asks_first_with_a_yes_and_a_no_and_no_keeps_everything() -> None:
    _, dispatcher = run_action(ActionConfirmForget(), tracker("forget_me", "delete my data"))
    assert "can't be recovered" in said(dispatcher)
    assert buttons(dispatcher) == ["Yes, delete it", "No, keep it"]
    _, dispatcher = run_action(ActionKeepData(), tracker("deny", "no"))
    assert said(dispatcher) == texts("privacy")["keep_data"]
