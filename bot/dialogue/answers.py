"""A typed "yes" or "no" answers the last question the bot asked, whatever capability asked it.

Every reply that ends in a yes/no question records which one in the slot `pending_offer`; buttons carry
their own intent, so this is only for people who type their answer. The answer counts only if the question
was in the bot's last turn (`asked_last_turn`): a "yes" ten messages later is not an answer to it.
Offers made by an action keep their own explicit rules (data/rules/coach.yml, privacy.yml). The offer of
one more sentence is answered here: the form's validation makes it as the form ends, and Rasa's rules do
not pick up a "yes" after a form its validation ended.
"""

from __future__ import annotations

from dataclasses import replace

from bot.dialogue.reply import (
    ASKS_ANOTHER_IDEA,
    ASKS_ARE_YOU_SAFE,
    ASKS_CHECK_IN,
    ASKS_ONE_MORE_SENTENCE,
    ASKS_PROFESSIONAL_HELP,
    Reply,
)
from bot.dialogue.wording import line
from bot.help import professional_help_reply
from bot.safety import replies as safety
from bot.strategies.replies import StrategyTurn, respond


def _open_question() -> Reply:
    return Reply().say(line("dialogue", "open_question")).set(pending_offer=None)


def answer(yes: bool, question: str | None, turn: StrategyTurn, country: str | None) -> Reply:
    """The reply to a typed yes (`yes=True`) or no to `question` (None when nothing was asked)."""
    if question == ASKS_ARE_YOU_SAFE:
        return safety.safe_again_reply() if yes else safety.not_safe_reply(country)
    if question == ASKS_CHECK_IN:
        return safety.check_in_confirmed_reply(country) if yes else safety.figure_of_speech_reply()
    if yes and question == ASKS_ANOTHER_IDEA:
        return respond(replace(turn, intent="request_strategy"))
    if yes and question == ASKS_PROFESSIONAL_HELP:
        return professional_help_reply().set(pending_offer=None)
    if yes and question == ASKS_ONE_MORE_SENTENCE:  # the exercise again: its form asks the first question
        return Reply().set(pending_offer=None).then("rephrase_form")
    return _open_question()
