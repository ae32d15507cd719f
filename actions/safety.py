"""Crisis, abuse, "are you safe?" and the country switch (rules: data/rules/safety.yml;
logic: bot/dialogue/safety.py; detection: bot/safety/ and bot/nlu/safety.py)."""

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import country, entity_values, send
from bot.dialogue import safety


class ActionCrisisResponse(Action):
    def name(self) -> str:
        return "action_crisis_response"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        check_in = [e["value"] for e in entity_values(tracker, "safety_check")]
        return send(safety.crisis_reply(country(tracker), check_in), dispatcher)


class ActionAbuseResponse(Action):
    def name(self) -> str:
        return "action_abuse_response"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        check_in = [e["value"] for e in entity_values(tracker, "safety_check")]
        return send(safety.abuse_reply(country(tracker), check_in), dispatcher)


class ActionSafeAgain(Action):
    def name(self) -> str:
        return "action_safe_again"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        return send(safety.safe_again_reply(), dispatcher)


class ActionSetCountry(Action):
    """Only the country named in this very message counts: an unknown one gets the default lines."""

    def name(self) -> str:
        return "action_set_country"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        named = entity_values(tracker, "country")
        reply = safety.country_reply(named[-1]["value"] if named else None,
                                     bool(tracker.get_slot("crisis_hold")))
        return send(reply, dispatcher)
