"""bot/rasa_speedups.py: each replacement answers exactly as Rasa's own method does, only faster."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

from bot import rasa_speedups


class FakeProcessor:
    """Stands in for a MessageProcessor: the cache lives on the instance, one per loaded model."""


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replaces the NLU graph with one that records each text it really parses."""
    seen: list[str] = []

    def parse(_self: Any, message: UserMessage, _tracker: Any, _only_output: bool = True) -> dict[str, Any]:
        seen.append(message.text)
        return {"text": message.text, "intent": {"name": "affirm", "confidence": 0.9}, "entities": []}

    monkeypatch.setattr(rasa_speedups, "_rasa_parse", parse)
    return seen


def parse(processor: FakeProcessor, text: str, only_output: bool = True) -> dict[str, Any]:
    return rasa_speedups._parse_message_with_graph(processor, UserMessage(text), None, only_output)


def test_a_short_message_is_parsed_once_and_each_caller_gets_its_own_copy(parses: list[str]) -> None:
    processor = FakeProcessor()
    first = parse(processor, "yes please")
    first["intent"]["name"] = "changed by the caller"
    second = parse(processor, "yes please")
    assert parses == ["yes please"]
    assert second == {"text": "yes please", "intent": {"name": "affirm", "confidence": 0.9}, "entities": []}
    assert "yes please" not in str(processor._short_parses)  # kept by hash, without the text


def test_long_messages_and_other_models_are_parsed_every_time(parses: list[str]) -> None:
    long = "i checked his phone last night and saw messages from his ex again"
    processor = FakeProcessor()
    parse(processor, long)
    parse(processor, long)
    parse(processor, "yes", only_output=False)
    parse(processor, "yes", only_output=False)
    parse(FakeProcessor(), "hi")
    parse(FakeProcessor(), "hi")
    assert parses == [long, long, "yes", "yes", "hi", "hi"]
    assert not processor.__dict__.get("_short_parses")


def test_the_kept_parses_are_bounded(parses: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rasa_speedups, "PARSES_KEPT", 2)
    processor = FakeProcessor()
    for text in ("a", "b", "c", "a"):
        parse(processor, text)
    assert parses == ["a", "b", "c", "a"] and len(processor._short_parses) == 2


def test_every_event_type_resolves_to_the_class_rasa_finds() -> None:
    for cls in all_subclasses(Event):
        if getattr(cls, "type_name", None):
            assert rasa_speedups._resolve_by_type(cls.type_name) is rasa_speedups._rasa_resolve(cls.type_name)
    with pytest.raises(ValueError, match="Unknown event name"):
        rasa_speedups._resolve_by_type("no such event")


def test_action_answers_are_still_validated() -> None:
    action = RemoteAction("action_x", None)
    assert rasa_speedups._validate_action_result(action, {"events": [], "responses": [{"text": "hi"}]})
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        rasa_speedups._validate_action_result(action, {"events": "not a list"})


def test_loading_the_project_components_applies_all_three() -> None:
    import bot.nlu  # noqa: F401 - what config.yml makes every Rasa process import

    assert MessageProcessor._parse_message_with_graph is rasa_speedups._parse_message_with_graph
    assert RemoteAction._validate_action_result is rasa_speedups._validate_action_result
    assert Event.__dict__["resolve_by_type"].__func__ is rasa_speedups._resolve_by_type
