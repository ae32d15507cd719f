"""Crisis and abuse replies, the "are you safe?" follow-ups and the country switch.

A crisis message puts the conversation on hold (slot crisis_hold): no strategies or exercises until the
person says they are safe or asks to go on. An abuse disclosure is remembered for the whole conversation
(slot abuse_disclosed): no couples exercises after it. The resources follow the country the person names;
until then the international default is used and the reply says so. Wording: data/safety/messages.yml.
"""

from __future__ import annotations

from typing import Sequence

from bot.dialogue.reply import ASKS_ARE_YOU_SAFE, ASKS_CHECK_IN, NOT_SAFE, SAFE, Button, Reply
from bot.safety import messages
from bot.safety.resources import resources_for

HAVING_THOUGHTS = Button("Yes, I'm having those thoughts", "/crisis_self_harm")
FIGURE_OF_SPEECH = Button("No, just a figure of speech", "/confirm_safe")


def crisis_reply(country: str | None, check_in: Sequence[str] = ()) -> Reply:
    """Resources at once and "are you safe?"; a gentle check-in when only figurative wording matched.

    `check_in` holds the ambiguous phrases when DIET predicted a crisis but the rule layer found only a
    figure of speech ("this is killing me"): asking is kinder than a wall of hotline numbers, and the
    first button leads straight to the full response.
    """
    if check_in:
        return (Reply().say(messages.check_in_message(check_in[0]), [HAVING_THOUGHTS, FIGURE_OF_SPEECH])
                .set(pending_offer=ASKS_CHECK_IN))
    reply = Reply().set(crisis_hold=True, pending_offer=ASKS_ARE_YOU_SAFE)
    texts = messages.crisis_messages(resources_for(country))
    for text in texts[:-1]:
        reply.say(text)
    return reply.say(texts[-1], [SAFE, NOT_SAFE])


def hold_reply() -> Reply:
    """While the bot waits to hear they are safe: no strategies or exercises, the question again."""
    return Reply().say(messages.hold_message(), [SAFE, NOT_SAFE]).set(pending_offer=ASKS_ARE_YOU_SAFE)


def figure_of_speech_reply() -> Reply:
    """They said the worrying words were a figure of speech."""
    return Reply().say("Thanks for letting me know. If that ever changes, tell me and I'll share people "
                       "who can help.").set(pending_offer=None)


def abuse_reply(country: str | None) -> Reply:
    """Not their fault, domestic-abuse lines, the emergency number; remembered for the conversation."""
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
        reply.say("I don't have numbers for that country yet, so here are ones that work in most places.")
    reply.say(messages.resources_message(resources))
    if crisis_hold:
        reply.say("Are you safe right now?", [SAFE, NOT_SAFE]).set(pending_offer=ASKS_ARE_YOU_SAFE)
    return reply
