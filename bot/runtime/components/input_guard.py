"""Empty and over-long messages get a clear answer instead of a guess (rules in data/rules/chitchat.yml).

Runs after the safety override: a crisis or abuse disclosure inside a very long message is still answered
as one, so only messages without a safety hit are turned into a fallback here. The entity says which
answer fits ("that's long, could you send the main part?" or "that message was empty").
"""

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.runtime.components.base import RuleComponent, add_entity
from bot.safety.signals import INTENT_FOR

FALLBACK = "nlu_fallback"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class InputGuard(RuleComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # The widget stops at 2,000 characters; a message this long is rarely one thought.
        return {"max_chars": 2000}

    def process(self, messages: List[Message]) -> List[Message]:
        """Checks every message, with or without a spaCy Doc (an empty text may not get one)."""
        for message in messages:
            self.check(message)
        return messages

    def check(self, message: Message) -> None:
        if (message.get(INTENT) or {}).get("name") in INTENT_FOR.values():
            return
        text = message.get(TEXT) or ""
        if not text.strip():
            issue = "empty_message"
        elif len(text) > self.config["max_chars"]:
            issue = "message_too_long"
        else:
            return
        message.set(INTENT, {"name": FALLBACK, "confidence": 1.0}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [{"name": FALLBACK, "confidence": 1.0}], add_to_output=True)
        add_entity(message, issue, issue, 0, len(text), self.__class__.__name__)
