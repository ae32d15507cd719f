"""The safety override: a crisis or abuse hit of the rule layer sets the intent, whatever DIET said.

It runs after DIETClassifier and before FallbackClassifier, so a hit is never turned into a fallback.
Recall comes first: a rule hit always gets the full response. When the rules found nothing but DIET still
predicted crisis or abuse, or when the wording is figurative but could hide a risk ("this is killing me"),
a `safety_check` entity is added and the reply checks in gently instead of ignoring it (a tap on "yes"
leads to the full response). See bot/safety/replies.py.
"""

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message
from spacy.tokens import Doc

from bot.runtime.components.base import RuleComponent, add_entity
from bot.safety.detector import detect
from bot.safety.signals import CHECK_ENTITY, INTENT_FOR, UNCONFIRMED

OVERRIDE_KEY = "safety_override"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyOverride(RuleComponent):
    """High-recall spaCy rules on top of DIET for the two messages that must never be missed."""

    def annotate(self, message: Message, doc: Doc) -> None:
        result = detect(doc)
        if result.kind in INTENT_FOR:
            name = INTENT_FOR[result.kind]
            rule = next(hit.pattern_id for hit in result.hits if hit.category == result.kind)
            # DIET's view is kept beside the override (tests and `make eval` tell the layers apart). The
            # ranking holds the override alone: FallbackClassifier would otherwise call a near tie between
            # it and DIET's favourite "ambiguous" and replace a crisis with a fallback.
            message.set(OVERRIDE_KEY, {"rule": rule, "diet_intent": (message.get(INTENT) or {}).get("name"),
                                       "diet_ranking": message.get(INTENT_RANKING_KEY, [])},
                        add_to_output=True)
            message.set(INTENT, {"name": name, "confidence": 1.0}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [{"name": name, "confidence": 1.0}], add_to_output=True)
        elif result.check_in:
            for phrase in result.ambiguous:
                start = doc.text.lower().find(phrase.lower())
                add_entity(message, CHECK_ENTITY, phrase, max(start, 0),
                           max(start, 0) + len(phrase), self.__class__.__name__)
        elif (message.get(INTENT) or {}).get("name") in INTENT_FOR.values():
            # DIET alone is worried: it also fires on "my phone is dying" or "he beat me at mario kart",
            # so the reply asks gently instead of sending crisis lines (bot/safety/replies.py).
            add_entity(message, CHECK_ENTITY, UNCONFIRMED, 0, len(doc.text), self.__class__.__name__)
