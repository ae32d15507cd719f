"""Crisis and abuse replies, the "are you safe?" follow-ups and the country switch.

A crisis message puts the conversation on hold (slot crisis_hold): no strategies or exercises until the
person says they are safe or asks to go on. An abuse disclosure is remembered for the whole conversation
(slot abuse_disclosed): no couples exercises after it. The resources follow the country the person names;
until then the international default is used and the reply says so. Wording: data/safety/messages.yml.
"""

from __future__ import annotations

from typing import Optional, Sequence

from bot.dialogue.reply import Button, Reply
from bot.safety import messages
from bot.safety.resources import resources_for

SAFE = Button("Yes, I'm safe right now", "/confirm_safe")
NOT_SAFE = Button("No, I'm not safe", "/deny")
HAVING_THOUGHTS = Button("Yes, I'm having those thoughts", "/crisis_self_harm")
FIGURE_OF_SPEECH = Button("No, just a figure of speech", "/confirm_safe")


def crisis_reply(country: Optional[str], check_in: Sequence[str] = ()) -> Reply:
    """Resources at once and "are you safe?"; a gentle check-in when only figurative wording matched.

    `check_in` holds the ambiguous phrases when DIET predicted a crisis but the rule layer found only a
    figure of speech ("this is killing me"): asking is kinder than a wall of hotline numbers, and the
    first button leads straight to the full response.
    """
    if check_in:
        return Reply().say(messages.check_in_message(check_in[0]), [HAVING_THOUGHTS, FIGURE_OF_SPEECH])
    reply = Reply().set(crisis_hold=True)
    texts = messages.crisis_messages(resources_for(country))
    for text in texts[:-1]:
        reply.say(text)
    return reply.say(texts[-1], [SAFE, NOT_SAFE])


def abuse_reply(country: Optional[str]) -> Reply:
    """Not their fault, domestic-abuse lines, the emergency number; remembered for the conversation."""
    reply = Reply().set(abuse_disclosed=True)
    for text in messages.abuse_messages(resources_for(country)):
        reply.say(text)
    return reply


def safe_again_reply() -> Reply:
    """They are safe or want to go on: lift the hold."""
    return Reply().say(messages.safe_again_message()).set(crisis_hold=False)


def not_safe_reply(country: Optional[str]) -> Reply:
    """Not safe right now: the emergency number first, and the hold stays."""
    reply = Reply().set(crisis_hold=True)
    for text in messages.not_safe_messages(resources_for(country)):
        reply.say(text)
    return reply


def country_reply(country: Optional[str]) -> Reply:
    """They said where they are: confirm it and give that country's numbers."""
    resources = resources_for(country)
    if resources.assumed:
        return Reply().say("I don't have numbers for that country yet, so here are ones that work in "
                           "most places.").say(messages.resources_message(resources))
    return Reply().say(messages.resources_message(resources))
