"""The safety override: a crisis or abuse hit of the rule layer sets the intent, whatever DIET said.

It runs after DIETClassifier and before FallbackClassifier, so a hit is never turned into a fallback.
Recall comes first: either layer alone is enough to reach the safety response. Ambiguous figurative
wording ("this is killing me") does not change the intent; it adds a `safety_check` entity so the reply
can check in gently instead of ignoring it (see actions/safety.py and actions/strategies.py).
"""

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message
from spacy.tokens import Doc

from bot.nlu.base import RuleComponent, add_entity
from bot.safety.detector import detect

INTENT_FOR = {"crisis": "crisis_self_harm", "abuse": "disclose_abuse"}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyOverride(RuleComponent):
    """High-recall spaCy rules on top of DIET for the two messages that must never be missed."""

    def annotate(self, message: Message, doc: Doc) -> None:
        result = detect(doc)
        if result.kind in INTENT_FOR:
            name = INTENT_FOR[result.kind]
            ranking = [r for r in message.get(INTENT_RANKING_KEY, []) if r.get("name") != name]
            message.set(INTENT, {"name": name, "confidence": 1.0}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [{"name": name, "confidence": 1.0}, *ranking],
                        add_to_output=True)
        elif result.check_in:
            for phrase in result.ambiguous:
                start = doc.text.lower().find(phrase.lower())
                add_entity(message, "safety_check", phrase, max(start, 0),
                           max(start, 0) + len(phrase), self.__class__.__name__)
