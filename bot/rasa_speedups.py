"""Three fixes to Rasa 3.6's hot path, applied in every Rasa process that loads this project's model.

1. `RemoteAction._validate_action_result` calls `jsonschema.validate()` on each answer of the action server,
and that function first checks the schema itself against the JSON Schema meta-schema. Measured here: about
50 ms of CPU per custom action call, over a third of the Rasa server's time under the benchmark load. The
schema never changes, so it is checked and compiled once; an invalid answer still goes through Rasa's own
method, so the error people see is unchanged.
2. `Event.resolve_by_type` walks every subclass of `Event` (recursively, checking each for abstractness) for
   each stored event it reads back: 60% of the time to load a conversation from the tracker store. The
   name -> class map is built once and rebuilt on a miss, so event classes defined later still resolve.
3. Short messages recur word for word across people ("yes", "another idea", "thanks", "bye", the widget's
   buttons), and the NLU pipeline's answer depends on the text alone (the project's components read
   nothing else), so the parse of a message of up to `SHORT_MESSAGE_CHARS` characters is kept per loaded
   model, in memory, keyed by a hash of the text, without the text. Longer messages are personal and
   rarely repeat: they are always parsed, and never kept.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from functools import lru_cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT
from rasa.shared.utils.common import all_subclasses

SHORT_MESSAGE_CHARS = 40
PARSES_KEPT = 2000

_rasa_validate = RemoteAction._validate_action_result
_rasa_resolve = Event.resolve_by_type
_rasa_parse = MessageProcessor._parse_message_with_graph
_event_types: dict[str, type[Event]] = {}


@lru_cache(maxsize=1)
def _validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    try:
        _validator().validate(result)
    except ValidationError:
        return _rasa_validate(self, result)  # raises with Rasa's explanation
    return True


def _resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    if type_name not in _event_types:
        for cls in all_subclasses(Event):  # the first class with a name wins, as in Rasa's loop
            _event_types.setdefault(cls.type_name, cls)
    found = _event_types.get(type_name)
    return found if found is not None else _rasa_resolve(type_name, default)


def _parse_message_with_graph(self: MessageProcessor, message: UserMessage, tracker: DialogueStateTracker,
                              only_output_properties: bool = True) -> dict[str, Any]:
    text = message.text
    if not only_output_properties or not text or len(text) > SHORT_MESSAGE_CHARS:
        return _rasa_parse(self, message, tracker, only_output_properties)
    parses: OrderedDict[str, str] = self.__dict__.setdefault("_short_parses", OrderedDict())  # one per model
    key = hashlib.sha256(text.encode()).hexdigest()
    if key in parses:
        parses.move_to_end(key)
    else:
        parsed = _rasa_parse(self, message, tracker, only_output_properties)
        parses[key] = json.dumps({name: value for name, value in parsed.items() if name != TEXT})
        if len(parses) > PARSES_KEPT:
            parses.popitem(last=False)
    return {TEXT: text, **json.loads(parses[key])}  # a fresh copy: the caller adds to it


def apply() -> None:
    """Idempotent: replaces the three methods."""
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[method-assign, assignment]
    MessageProcessor._parse_message_with_graph = _parse_message_with_graph  # type: ignore[method-assign]
