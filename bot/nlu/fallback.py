"""Rasa's FallbackClassifier, except that two insecurity themes close together are not "not understood".

Rasa falls back when the top two intents are within `ambiguity_threshold` of each other. Between two
themes that is the wrong answer: "he follows models on instagram and it makes me feel ugly" came out as low
self-esteem 0.49 against jealousy 0.46, and the person, who had said something clear and personal, was told
"I'm not sure I understood". Either theme's reflection and strategies fit such a message, so the top theme
is kept. Every other near-tie (a theme against a crisis, yes against no...) and every low confidence still
falls back exactly as in Rasa; config.yml names this class in Rasa's place.
"""

from __future__ import annotations

from typing import Optional, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import INTENT_NAME_KEY, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.strategies import THEMES


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ThemeTolerantFallbackClassifier(FallbackClassifier):
    """Falls back like Rasa's, but not on a near-tie between two themes."""

    def _nlu_prediction_ambiguous(self, message: Message) -> Tuple[bool, Optional[float]]:
        ambiguous, difference = super()._nlu_prediction_ambiguous(message)
        top_two = {intent.get(INTENT_NAME_KEY) for intent in (message.get(INTENT_RANKING_KEY) or [])[:2]}
        if ambiguous and len(top_two) == 2 and top_two <= set(THEMES):
            return False, difference
        return ambiguous, difference
