"""Adds the theme cue phrases (bot/strategies/cues.py) as `cue` entities; the theme they point to is the role."""

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.training_data.message import Message
from spacy.tokens import Doc

from bot.runtime.components.base import RuleComponent, add_entity
from bot.strategies.cues import find_cues


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class CueExtractor(RuleComponent, EntityExtractorMixin):
    """"checked his phone", "his ex", "not good enough": the words a reply should reflect back."""

    def annotate(self, message: Message, doc: Doc) -> None:
        for cue in find_cues(doc):
            add_entity(message, "cue", cue.text, cue.start, cue.end, self.__class__.__name__,
                       role=cue.theme)
