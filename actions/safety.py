"""Crisis, abuse, "are you safe?" and the country switch (rules: data/rules/safety.yml;
logic: bot/dialogue/safety.py; detection: bot/safety/ and bot/nlu/safety.py)."""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import entity_values, send
from bot.dialogue import safety


def _country(tracker: Tracker) -> Optional[str]:
    """The country named in this message, else the one named earlier in the conversation."""
    named = entity_values(tracker, "country")
    return named[-1]["value"] if named else tracker.get_slot("country")


class ActionCrisisResponse(Action):
    def name(self) -> Text:
        return "action_crisis_response"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        check_in = [e["value"] for e in entity_values(tracker, "safety_check")]
        return send(safety.crisis_reply(_country(tracker), check_in), dispatcher)


class ActionAbuseResponse(Action):
    def name(self) -> Text:
        return "action_abuse_response"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return send(safety.abuse_reply(_country(tracker)), dispatcher)


class ActionSafeAgain(Action):
    def name(self) -> Text:
        return "action_safe_again"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return send(safety.safe_again_reply(), dispatcher)


class ActionNotSafe(Action):
    def name(self) -> Text:
        return "action_not_safe"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return send(safety.not_safe_reply(_country(tracker)), dispatcher)


class ActionSetCountry(Action):
    """Only the country named in this very message counts: an unknown one gets the default lines."""

    def name(self) -> Text:
        return "action_set_country"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        named = entity_values(tracker, "country")
        return send(safety.country_reply(named[-1]["value"] if named else None), dispatcher)
