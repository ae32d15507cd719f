""""Forget me" (rules: data/rules/privacy.yml; logic and the deletion's trigger: bot/privacy.py; the deletion
itself: bot/runtime/tracker_store.py, when it saves a turn that ran this action)."""

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import Restarted
from rasa_sdk.executor import CollectingDispatcher

from actions.common import ReplyAction, send
from bot.dialogue.reply import Reply
from bot.privacy import FORGET_ACTION, FORGET_SIGNAL, confirm_reply, forgotten_reply, kept_reply


class ActionConfirmForget(ReplyAction):
    action_name = "action_confirm_forget"

    def reply(self, tracker: Tracker) -> Reply:
        return confirm_reply()


class ActionKeepData(ReplyAction):
    action_name = "action_keep_data"

    def reply(self, tracker: Tracker) -> Reply:
        return kept_reply()


class ActionForgetMe(Action):
    def name(self) -> str:
        return FORGET_ACTION

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        events = send(forgotten_reply(), dispatcher)
        dispatcher.utter_message(json_message=FORGET_SIGNAL)
        return [*events, Restarted()]
