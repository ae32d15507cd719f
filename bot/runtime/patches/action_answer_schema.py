"""Fix 1: the action server's answers checked against a schema compiled once.

Replaces `RemoteAction._validate_action_result`. Rasa's `jsonschema.validate()` checks the schema itself
against the JSON Schema meta-schema on every call, and its `oneOf` tries every event type for each event;
the schema never changes, so it is checked and compiled once, and since every event type requires its own
`event` name (at most one branch can match), each event is checked against the type its name picks.
Falls back to the whole schema when the types are not exclusive, and to Rasa's own method for an invalid
answer, so the error people see is Rasa's.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

REPLACES = ("rasa.core.actions.action:RemoteAction._validate_action_result",)
TARGETS = (*REPLACES, "rasa.core.actions.action:RemoteAction.action_response_format_spec")

_rasa_validate = RemoteAction._validate_action_result


def _one_of_is_any_of(items: dict[str, Any]) -> bool:
    """True when the `oneOf` branches are exclusive: `event` is required and each branch names another."""
    names = [branch.get("properties", {}).get("event", {}).get("const") for branch in items["oneOf"]]
    return "event" in items.get("required", []) and None not in names and len(set(names)) == len(names)


@lru_cache(maxsize=1)
def _validators() -> tuple[Validator, dict[str, Validator]]:
    """Rasa's answer schema, checked and compiled once. When its event types are exclusive, the schema
    without the `oneOf` (what every event shares) and each type's own schema by its name; otherwise the
    whole schema and no types."""
    schema = copy.deepcopy(RemoteAction.action_response_format_spec())
    cls = validator_for(schema)
    cls.check_schema(schema)
    items = schema["properties"]["events"]["items"]
    if not _one_of_is_any_of(items):
        return cls(schema), {}
    types = items.pop("oneOf")
    return cls(schema), {branch["properties"]["event"]["const"]: cls(branch) for branch in types}


def _is_valid(result: Any) -> bool:
    """What Rasa's schema says of an answer: each event is checked against its own type only, which is the
    one branch of the exclusive `oneOf` that can match."""
    shared, types = _validators()
    if not shared.is_valid(result):
        return False
    events = result.get("events") or [] if types else []
    return all(event["event"] in types and types[event["event"]].is_valid(event) for event in events)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    if not _is_valid(result):
        return _rasa_validate(self, result)  # raises with Rasa's explanation
    return True


def apply() -> None:
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
