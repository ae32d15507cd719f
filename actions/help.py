"""Professional help (rules: data/rules/help.yml; logic: bot/dialogue/help.py)."""

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import send
from bot.dialogue.help import professional_help_reply


class ActionProfessionalHelp(Action):
    def name(self) -> str:
        return "action_professional_help"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        return send(professional_help_reply().set(help_offered=True), dispatcher)
