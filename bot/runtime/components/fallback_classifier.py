"""Rasa's FallbackClassifier with two changes that keep a person's message from being set aside.

1. Two insecurity themes close together are not a fallback. Rasa falls back when the top two intents are
   within `ambiguity_threshold` of each other. "he follows models on instagram and it makes me feel ugly"
   came out as low self-esteem 0.49 against jealousy 0.46, and the person, who had said something clear
   and personal, was told "I'm not sure I understood". Either theme's reflection and strategies fit, so
   the top theme is kept.
2. A safety check-in is never swallowed. When the safety override found wording that could hide a risk
   ("i feel like giving up on everything") it adds a `safety_check` entity, and the reply asks gently.
   The fallback's reply and the out-of-scope reply are fixed responses that cannot ask ("this homework is
   killing me" was read as out of scope), so a message that would get either and carries a check-in goes
   to the crisis intent instead, whose action asks the gentle question (never the full crisis response:
   the entity marks it unsure; bot/safety/replies.py).
Every other near-tie (a theme against a crisis, yes against no...) and every low confidence still falls
back exactly as in Rasa; config.yml names this class in Rasa's place.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_TYPE, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.safety.signals import CHECK_ENTITY, INTENT_FOR
from bot.strategies.catalogue import THEMES

CHECK_IN_INTENT = INTENT_FOR["crisis"]
# Intents answered with a fixed response that sets the message aside, and so cannot ask about a risk.
SET_ASIDE = (DEFAULT_NLU_FALLBACK_INTENT_NAME, "out_of_scope")
# Set on a message sent to the check-in instead: the intent it replaced, so `make eval` can still tell what
# DIET and Rasa's fallback alone would have said.
REDIRECT_KEY = "check_in_instead_of"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ThemeTolerantFallbackClassifier(FallbackClassifier):
    """Falls back like Rasa's, but not on a near-tie between two themes, and never sets a check-in aside."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in super().process(messages):
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) in SET_ASIDE and _has_check_in(message):
                ranking = message.get(INTENT_RANKING_KEY) or []
                # the classifier's own confidence in the crisis intent, not that of the intent it replaces
                own = next((r.get("confidence") for r in ranking if r.get(INTENT_NAME_KEY) == CHECK_IN_INTENT), 0.0)
                check_in = {INTENT_NAME_KEY: CHECK_IN_INTENT, "confidence": own}
                message.set(REDIRECT_KEY, intent[INTENT_NAME_KEY], add_to_output=True)
                message.set(INTENT, check_in, add_to_output=True)
                others = [r for r in ranking  # without the fallback Rasa put first
                          if r.get(INTENT_NAME_KEY) not in (CHECK_IN_INTENT, DEFAULT_NLU_FALLBACK_INTENT_NAME)]
                message.set(INTENT_RANKING_KEY, [check_in] + others, add_to_output=True)
        return messages

    def _nlu_prediction_ambiguous(self, message: Message) -> Tuple[bool, Optional[float]]:
        ambiguous, difference = super()._nlu_prediction_ambiguous(message)
        top_two = {intent.get(INTENT_NAME_KEY) for intent in (message.get(INTENT_RANKING_KEY) or [])[:2]}
        if ambiguous and len(top_two) == 2 and top_two <= set(THEMES):
            return False, difference
        return ambiguous, difference


def _has_check_in(message: Message) -> bool:
    return any(entity.get(ENTITY_ATTRIBUTE_TYPE) == CHECK_ENTITY for entity in message.get(ENTITIES) or [])
