"""What the project's rule components share: creation from config and access to the spaCy Doc."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.tokens import Doc


class RuleComponent(GraphComponent):
    """A component with nothing to train: it only annotates messages at prediction time."""

    def __init__(self, config: Dict[str, Any]) -> None:
        self.config = config

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> RuleComponent:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data passes through untouched: the rules are not learned."""
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            doc = message.get(SPACY_DOCS[TEXT])
            if doc is not None:
                self.annotate(message, doc)
        return messages

    def annotate(self, message: Message, doc: Doc) -> None:
        raise NotImplementedError


def add_entity(message: Message, entity: str, value: str, start: int, end: int, extractor: str,
               role: str | None = None) -> None:
    """Append one entity in Rasa's format, keeping what earlier extractors found."""
    found = {"entity": entity, "value": value, "start": start, "end": end, "confidence_entity": 1.0,
             "extractor": extractor}
    if role:
        found["role"] = role
    message.set(ENTITIES, [*message.get(ENTITIES, []), found], add_to_output=True)
