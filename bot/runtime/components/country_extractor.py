"""Adds the country a person names ("I'm in the UK") as a `country` entity holding its code ("GB")."""

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.training_data.message import Message
from spacy.tokens import Doc

from bot.runtime.components.base import RuleComponent, add_entity
from bot.safety.resources import find_country


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class CountryExtractor(RuleComponent, EntityExtractorMixin):
    """Lets the safety resources follow the person: the `country` slot is filled from this entity."""

    def annotate(self, message: Message, doc: Doc) -> None:
        code = find_country(doc)
        if code:
            add_entity(message, "country", code, 0, len(doc.text), self.__class__.__name__)
