"""ResponseSelector that only runs when the message's intent is a retrieval intent (config.yml names it).

Rasa's ResponseSelector runs its network on every message, but its answer is used only when the intent is
one of the retrieval intents (here `faq`: "what is insecurity", "is it normal"...); for every other
message the bot never reads it. Under the benchmark load it was about 4% of the Rasa server's time. Training
and the answer for retrieval intents are Rasa's own; other messages still say which intents are retrieval
intents, as Rasa's parse output does.
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME, RESPONSE_SELECTOR_RETRIEVAL_INTENTS
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class RetrievalOnlyResponseSelector(ResponseSelector):
    """Selects a response for messages whose intent is a retrieval intent; leaves the others alone."""

    def process(self, messages: List[Message]) -> List[Message]:
        asked = [m for m in messages if m.get(INTENT, {}).get(INTENT_NAME_KEY) in self.all_retrieval_intents]
        super().process(asked)
        answered = {id(m) for m in asked}
        for message in messages:
            if id(message) not in answered:
                message.set(RESPONSE_SELECTOR_PROPERTY_NAME,
                            {RESPONSE_SELECTOR_RETRIEVAL_INTENTS: self.all_retrieval_intents},
                            add_to_output=True)
        return messages
