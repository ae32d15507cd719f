"""bot/runtime/patches/short_message_parses.py: a short message is parsed once per model, never with entities."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage

from bot.runtime.patches import short_message_parses


class FakeProcessor:
    """Stands in for a MessageProcessor: the cache lives on the instance, one per loaded model."""


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replaces the NLU graph with one that records each text it really parses."""
    seen: list[str] = []

    def parse(_self: Any, message: UserMessage, _tracker: Any, _only_output: bool = True) -> dict[str, Any]:
        seen.append(message.text)
        entities = [{"entity": "cue", "value": "his ex"}] if "his ex" in message.text else []
        return {"text": message.text, "intent": {"name": "affirm", "confidence": 0.9}, "entities": entities}

    monkeypatch.setattr(short_message_parses, "_rasa_parse", parse)
    return seen


def parse(processor: FakeProcessor, text: str, only_output: bool = True) -> dict[str, Any]:
    return short_message_parses._parse_message_with_graph(processor, UserMessage(text), None, only_output)


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


def test_a_parse_that_quotes_the_person_is_never_kept(parses: list[str]) -> None:
    processor = FakeProcessor()
    parse(processor, "i miss his ex")
    assert parse(processor, "i miss his ex")["entities"] == [{"entity": "cue", "value": "his ex"}]
    assert parses == ["i miss his ex", "i miss his ex"] and not processor.__dict__.get("_short_parses")


def test_the_kept_parses_are_bounded(parses: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(short_message_parses, "PARSES_KEPT", 2)
    processor = FakeProcessor()
    for text in ("a", "b", "c", "a"):
        parse(processor, text)
    assert parses == ["a", "b", "c", "a"] and len(processor._short_parses) == 2
