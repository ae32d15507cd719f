"""bot/runtime/patches/action_answer_schema.py: the action server's answers are accepted and refused as Rasa's
schema does."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.runtime.patches import action_answer_schema


def test_action_answers_are_still_validated() -> None:
    action = RemoteAction("action_x", None)
    assert action_answer_schema._validate_action_result(action, {"events": [], "responses": [{"text": "hi"}]})
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action_answer_schema._validate_action_result(action, {"events": "not a list"})


def test_rasas_event_types_are_exclusive_so_checking_the_named_type_accepts_what_one_of_does() -> None:
    items = RemoteAction.action_response_format_spec()["properties"]["events"]["items"]
    assert action_answer_schema._one_of_is_any_of(items)
    named = {"properties": {"event": {"const": "a"}}}
    for not_exclusive in ({"required": ["event"], "oneOf": [named, {"properties": {}}]},
                          {"required": ["event"], "oneOf": [named, named]}, {"oneOf": [named]}):
        assert not action_answer_schema._one_of_is_any_of(not_exclusive)
    shared, types = action_answer_schema._validators()
    assert "oneOf" not in shared.schema["properties"]["events"]["items"] and len(types) == len(items["oneOf"])
    action = RemoteAction("action_x", None)
    answers = [
        {"events": [{"event": "slot", "name": "theme", "value": "jealousy"}, {"event": "active_loop", "name": None},
                    {"event": "followup", "name": "utter_x"}, {"event": "bot", "text": "hi"}]},
        {"events": [{"event": "slot", "value": "no name"}]},  # a slot event must name its slot
        {"events": [{"event": "no such event"}]},
        {"events": [{"name": "no event type"}]},
        {"events": [{"event": "user", "text": 5}]},  # a known type, with a wrong field
        {"events": None}, {"responses": [{"text": "no events at all"}]},
    ]
    for answer in answers:
        try:
            expected = action_answer_schema._rasa_validate(action, answer)
        except ValidationError:
            expected = False
        try:
            got = action_answer_schema._validate_action_result(action, answer)
        except ValidationError:
            got = False
        assert got == expected
    assert [action_answer_schema._is_valid(a) for a in answers] == [True, False, False, False, False, False, True]
