"""Crisis, abuse, "are you safe?" and the country switch (rules: data/rules/safety.yml;
logic: bot/safety/replies.py; detection: bot/safety/ and bot/runtime/components/safety_override.py)."""

from dataclasses import replace

from rasa_sdk import Tracker

from actions.common import ReplyAction, country, entity_values
from actions.strategies import strategy_turn
from bot.dialogue.reply import Reply
from bot.safety import replies as safety
from bot.strategies.replies import best_theme, respond


def _unsure(tracker: Tracker) -> tuple[list[str], Reply | None]:
    """The check-in phrases of an unsure safety signal, and the normal answer to give with the check-in:
    the strategy for the theme DIET ranked next, if any."""
    check_in = [e["value"] for e in entity_values(tracker, "safety_check")]
    theme = best_theme(tracker.latest_message.get("intent_ranking") or []) if check_in else None
    if theme is None:
        return check_in, None
    return check_in, respond(replace(strategy_turn(tracker), intent=theme, safety_checks=()))


class ActionCrisisResponse(ReplyAction):
    action_name = "action_crisis_response"

    def reply(self, tracker: Tracker) -> Reply:
        return safety.crisis_reply(country(tracker), *_unsure(tracker))


class ActionAbuseResponse(ReplyAction):
    action_name = "action_abuse_response"

    def reply(self, tracker: Tracker) -> Reply:
        return safety.abuse_reply(country(tracker), *_unsure(tracker))


class ActionSafeAgain(ReplyAction):
    action_name = "action_safe_again"

    def reply(self, tracker: Tracker) -> Reply:
        return safety.safe_again_reply()


class ActionSetCountry(ReplyAction):
    """Only the country named in this very message counts: an unknown one gets the default lines."""

    action_name = "action_set_country"

    def reply(self, tracker: Tracker) -> Reply:
        named = entity_values(tracker, "country")
        return safety.country_reply(named[-1]["value"] if named else None,
                                    bool(tracker.get_slot("crisis_hold")))
