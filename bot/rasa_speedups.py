"""A fix to Rasa 3.6's hot path, applied in every Rasa process that loads this project's model.

`RemoteAction._validate_action_result` calls `jsonschema.validate()` on each answer of the action server,
and that function first checks the schema itself against the JSON Schema meta-schema. Measured here: about
50 ms of CPU per custom action call, over a third of the Rasa server's time under the benchmark load. The
schema never changes, so it is checked and compiled once; an invalid answer still goes through Rasa's own
method, so the error people see is unchanged.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

_rasa_validate = RemoteAction._validate_action_result


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


def apply() -> None:
    """Idempotent: replaces the method once."""
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
