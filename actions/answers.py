"""A typed "yes" or "no" (rules: data/rules/chitchat.yml; logic: bot/dialogue/answers.py)."""

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import country, question_asked_last_turn, send
from actions.strategies import strategy_turn
from bot.dialogue.answers import answer


class ActionAnswerYes(Action):
    def name(self) -> str:
        return "action_answer_yes"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        reply = answer(True, question_asked_last_turn(tracker), strategy_turn(tracker), country(tracker))
        return send(reply, dispatcher)


class ActionAnswerNo(Action):
    def name(self) -> str:
        return "action_answer_no"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        reply = answer(False, question_asked_last_turn(tracker), strategy_turn(tracker), country(tracker))
        return send(reply, dispatcher)
