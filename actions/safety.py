"""Crisis, abuse, "are you safe?" and the country switch (rules: data/rules/safety.yml;
logic: bot/dialogue/safety.py; detection: bot/safety/ and bot/nlu/safety.py)."""

from dataclasses import replace
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import country, entity_values, send
from actions.strategies import strategy_turn
from bot.dialogue import safety
from bot.dialogue.reply import Reply
from bot.dialogue.strategies import best_theme, respond


def _unsure(tracker: Tracker) -> tuple[list[str], Reply | None]:
    """The check-in phrases of an unsure safety signal, and the normal answer to give with the check-in:
    the strategy for the theme DIET ranked next, if any."""
    check_in = [e["value"] for e in entity_values(tracker, "safety_check")]
    theme = best_theme(tracker.latest_message.get("intent_ranking") or []) if check_in else None
    if theme is None:
        return check_in, None
    return check_in, respond(replace(strategy_turn(tracker), intent=theme, safety_checks=()))


class ActionCrisisResponse(Action):
    def name(self) -> str:
        return "action_crisis_response"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        return send(safety.crisis_reply(country(tracker), *_unsure(tracker)), dispatcher)


class ActionAbuseResponse(Action):
    def name(self) -> str:
        return "action_abuse_response"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        return send(safety.abuse_reply(country(tracker), *_unsure(tracker)), dispatcher)


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
