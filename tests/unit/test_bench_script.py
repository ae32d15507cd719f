"""The benchmark's warm-up (bot/bench/load.py): the same kinds of turns as the measured script, never the
same words, so no measured message is parsed (and remembered) before it is measured."""

from __future__ import annotations

from bot.bench.load import SCRIPT, WARM_UP, WARM_UP_CONVERSATIONS, messages_for


def test_no_warm_up_message_is_a_measured_one() -> None:
    measured = {text.lower() for step in SCRIPT for text in step}
    assert not [text for step in WARM_UP for text in step if text.lower() in measured]


def test_the_warm_up_has_a_turn_for_each_step_and_says_each_variant() -> None:
    assert len(WARM_UP) == len(SCRIPT)
    sent = {text for conversation in range(WARM_UP_CONVERSATIONS) for text in messages_for(conversation, WARM_UP)}
    assert sent == {text for step in WARM_UP for text in step}
