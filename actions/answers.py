"""A typed "yes" or "no" (rules: data/rules/chitchat.yml; logic: bot/dialogue/answers.py)."""

from rasa_sdk import Tracker

from actions.common import ReplyAction, country, question_asked_last_turn
from actions.strategies import strategy_turn
from bot.dialogue.answers import answer
from bot.dialogue.reply import Reply


class ActionAnswerYes(ReplyAction):
    action_name = "action_answer_yes"

    def reply(self, tracker: Tracker) -> Reply:
        return answer(True, question_asked_last_turn(tracker), strategy_turn(tracker), country(tracker))


class ActionAnswerNo(ReplyAction):
    action_name = "action_answer_no"

    def reply(self, tracker: Tracker) -> Reply:
        return answer(False, question_asked_last_turn(tracker), strategy_turn(tracker), country(tracker))
