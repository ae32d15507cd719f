"""Theme messages, "another idea" and "quick tip" (rules: data/rules/strategies.yml; logic:
bot/strategies/replies.py; content: data/content/strategies.yml)."""

from rasa_sdk import Tracker

from actions.common import ReplyAction, entity_values, latest_intent, latest_text
from bot.dialogue.reply import Reply
from bot.strategies.replies import StrategyTurn, respond


def strategy_turn(tracker: Tracker) -> StrategyTurn:
    """Read what the strategy reply depends on from the tracker."""
    return StrategyTurn(
        intent=latest_intent(tracker) or "request_strategy",
        text=latest_text(tracker),
        cues=tuple((e.get("role", ""), e["value"]) for e in entity_values(tracker, "cue")),
        safety_checks=tuple(e["value"] for e in entity_values(tracker, "safety_check")),
        current_theme=tracker.get_slot("current_theme"),
        given=tuple(tracker.get_slot("strategies_given") or ()),
        disclosures=int(tracker.get_slot("disclosures") or 0),
        help_offered=bool(tracker.get_slot("help_offered")),
        crisis_hold=bool(tracker.get_slot("crisis_hold")),
        abuse_disclosed=bool(tracker.get_slot("abuse_disclosed")),
        seed=len(tracker.events),
    )


class ActionSuggestStrategy(ReplyAction):
    action_name = "action_suggest_strategy"

    def reply(self, tracker: Tracker) -> Reply:
        return respond(strategy_turn(tracker))
