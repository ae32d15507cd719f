"""Crisis and abuse replies, the "are you safe?" follow-ups and the country switch.

A crisis message puts the conversation on hold (slot crisis_hold): no strategies or exercises until the
person says they are safe or asks to go on. An abuse disclosure is remembered for the whole conversation
(slot abuse_disclosed): no couples exercises after it. The resources follow the country the person names;
until then the international default is used and the reply says so. Wording: data/wording/safety.yml.
"""

from __future__ import annotations

from typing import Sequence

from bot.dialogue.reply import ASKS_ARE_YOU_SAFE, ASKS_CHECK_IN, Reply
from bot.dialogue.wording import buttons, line
from bot.safety import messages
from bot.safety.resources import resources_for
from bot.safety.signals import UNCONFIRMED

ARE_YOU_SAFE = ("safe", "not_safe")  # the buttons under "Are you safe right now?"


def check_in_reply(check: str, answer: Reply | None = None) -> Reply:
    """A gentle question instead of a wall of numbers when the signal is unsure, after the normal `answer`
    to the message if there is one (a mistaken worry then costs one question, not the help they came
    for). A tap leads straight to the full response: a button's intent comes without words, so nothing is
    unsure about it."""
    phrase = None if check == UNCONFIRMED else check
    reply = answer if answer is not None else Reply()
    return (reply.say(messages.check_in_message(phrase), buttons("having_thoughts", "being_hurt", "im_okay"))
            .set(pending_offer=ASKS_CHECK_IN))


def check_in_confirmed_reply(country: str | None) -> Reply:
    """A typed "yes" to a check-in: it may be a crisis or abuse, so every line for the country."""
    return (Reply().say(messages.check_in_confirmed_message())
            .say(messages.resources_message(resources_for(country)))
            .say(line("safety", "are_you_safe"), buttons(*ARE_YOU_SAFE))
            .set(crisis_hold=True, pending_offer=ASKS_ARE_YOU_SAFE))


def crisis_reply(country: str | None, check_in: Sequence[str] = (), answer: Reply | None = None) -> Reply:
    """Resources at once and "are you safe?"; when the signal was unsure, the normal `answer` and a gentle
    check-in."""
    if check_in:
        return check_in_reply(check_in[0], answer)
    reply = Reply().set(crisis_hold=True, pending_offer=ASKS_ARE_YOU_SAFE)
    texts = messages.crisis_messages(resources_for(country))
    for text in texts[:-1]:
        reply.say(text)
    return reply.say(texts[-1], buttons(*ARE_YOU_SAFE))


def hold_reply() -> Reply:
    """While the bot waits to hear they are safe: no strategies or exercises, the question again."""
    return Reply().say(messages.hold_message(), buttons(*ARE_YOU_SAFE)).set(pending_offer=ASKS_ARE_YOU_SAFE)


def figure_of_speech_reply() -> Reply:
    """They said the worrying words were a figure of speech."""
    return Reply().say(line("safety", "figure_of_speech")).set(pending_offer=None)


def abuse_reply(country: str | None, check_in: Sequence[str] = (), answer: Reply | None = None) -> Reply:
    """Not their fault, domestic-abuse lines, the emergency number; remembered for the conversation.
    When the signal was unsure, the normal `answer` and a gentle check-in instead."""
    if check_in:
        return check_in_reply(check_in[0], answer)
    reply = Reply().set(abuse_disclosed=True, pending_offer=None)
    for text in messages.abuse_messages(resources_for(country)):
        reply.say(text)
    return reply


def safe_again_reply() -> Reply:
    """They are safe or want to go on: lift the hold."""
    return Reply().say(messages.safe_again_message()).set(crisis_hold=False, pending_offer=None)


def not_safe_reply(country: str | None) -> Reply:
    """Not safe right now: the emergency number first, and the hold stays."""
    reply = Reply().set(crisis_hold=True, pending_offer=None)
    for text in messages.not_safe_messages(resources_for(country)):
        reply.say(text)
    return reply


def country_reply(country: str | None, crisis_hold: bool = False) -> Reply:
    """They said where they are: that country's numbers (and the safety question again during a hold)."""
    resources = resources_for(country)
    reply = Reply()
    if resources.assumed:
        reply.say(line("safety", "country_unknown"))
    reply.say(messages.resources_message(resources))
    if crisis_hold:
        reply.say(line("safety", "are_you_safe"), buttons(*ARE_YOU_SAFE)).set(pending_offer=ASKS_ARE_YOU_SAFE)
    return reply
