""""Forget me" (rules: data/rules/privacy.yml; deletion: bot/tracker_store.py, which sees this action
in the turn it saves and deletes the conversation instead)."""

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import Restarted
from rasa_sdk.executor import CollectingDispatcher

from actions.common import send
from bot.dialogue.privacy import FORGET_SIGNAL, forgotten_reply


class ActionForgetMe(Action):
    def name(self) -> str:
        return "action_forget_me"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        events = send(forgotten_reply(), dispatcher)
        dispatcher.utter_message(json_message=FORGET_SIGNAL)
        return [*events, Restarted()]
