"""The I-statement exercise (rules: data/rules/coach.yml; form: rephrase_form in domain.yml;
logic: bot/coach/exercise.py; engine: bot/coach/)."""

from typing import Any, Dict, List

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import ReplyAction, latest_text, send, utter
from bot.coach import exercise as coach
from bot.dialogue.reply import Reply


class ActionOfferRephrasing(ReplyAction):
    """After an accusation: offer to practise it (never after an abuse disclosure)."""

    action_name = "action_offer_rephrasing"

    def reply(self, tracker: Tracker) -> Reply:
        return coach.offer(latest_text(tracker), bool(tracker.get_slot("crisis_hold")),
                           bool(tracker.get_slot("abuse_disclosed")))


class ValidateRephraseForm(FormValidationAction):
    """Feedback on the starting sentence and on each attempt. It also ends the form: with the offer of one
    more after the last attempt, or at once when safety comes first."""

    def name(self) -> str:
        return "validate_rephrase_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[str, Any]]:
        block = coach.blocked_in_form(bool(tracker.get_slot("crisis_hold")),
                                      bool(tracker.get_slot("abuse_disclosed")))
        if block is not None:
            return send(block, dispatcher)
        return await super().run(dispatcher, tracker, domain)

    async def validate_original_sentence(self, value: Any, dispatcher: CollectingDispatcher,
                                         tracker: Tracker, domain: DomainDict) -> Dict[str, Any]:
        return utter(coach.on_original(str(value)), dispatcher)

    async def validate_attempt(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> Dict[str, Any]:
        reply = coach.on_attempt(str(value), tracker.get_slot("original_sentence"),
                                 int(tracker.get_slot("coach_tries") or 0), tracker.get_slot("coach_best"),
                                 tracker.get_slot("coach_progress"))
        return utter(reply, dispatcher)


class ActionAskOriginalSentence(ReplyAction):
    """The form's first question (a custom ask action, like the next one, to keep wording in bot/)."""

    action_name = "action_ask_original_sentence"

    def reply(self, tracker: Tracker) -> Reply:
        return coach.ask_original()


class ActionAskAttempt(ReplyAction):
    """The form's question before each attempt (a custom ask action, so it can change per try)."""

    action_name = "action_ask_attempt"

    def reply(self, tracker: Tracker) -> Reply:
        return coach.ask_attempt(int(tracker.get_slot("coach_tries") or 0))


class ActionStopRephrasing(ReplyAction):
    action_name = "action_stop_rephrasing"

    def reply(self, tracker: Tracker) -> Reply:
        return coach.stop()


class ActionShowProgress(ReplyAction):
    action_name = "action_show_progress"

    def reply(self, tracker: Tracker) -> Reply:
        return coach.progress_reply(tracker.get_slot("coach_progress"))
