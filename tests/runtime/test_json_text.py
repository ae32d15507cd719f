"""bot/runtime/json_text.py: orjson's speed, the standard library's answers."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import json
from typing import Any

import numpy as np
import orjson
import pytest
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bot.runtime.json_text import _OPTIONS, dumps, loads


class Kind(str, enum.Enum):
    """A str subclass: the standard library writes its value."""

    A = "a"


@dataclasses.dataclass
class Point:
    x: int
    y: int


def test_a_conversation_reads_back_as_the_standard_librarys_does() -> None:
    """What the action server gets and what the tracker store keeps: odd keys and numbers included."""
    tracker = DialogueStateTracker.from_events("a", [
        ActionExecuted("action_listen"),
        UserUttered("you never listen \u2764", {"name": "communication_breakdown", "confidence": 0.91}),
        SlotSet("current_theme", "communication_breakdown"),
    ])
    state = {**tracker.current_state(EventVerbosity.ALL), "odd": {1: "int key", None: "none key"},
             "numbers": [0.25, 3, 1e-7, -(2**63), "\u00e9\u2764"], "kind": Kind.A}
    assert orjson.dumps(state, option=_OPTIONS)  # orjson writes this one itself: no fallback involved
    assert json.loads(dumps(state)) == json.loads(json.dumps(state))


def test_what_orjson_refuses_is_written_by_the_standard_library() -> None:
    with pytest.raises(TypeError):
        orjson.dumps({"wide": 10**30}, option=_OPTIONS)
    assert json.loads(dumps({"wide": 10**30})) == {"wide": 10**30}


@pytest.mark.parametrize("refused", [np.float32(0.5), datetime.date(2026, 11, 21), Point(1, 2), {1, 2}])
def test_what_the_standard_library_refuses_is_still_refused(refused: Any) -> None:
    with pytest.raises(TypeError):
        json.dumps({"value": refused})
    with pytest.raises(TypeError):
        dumps({"value": refused})


def test_nan_is_written_as_null_not_as_pythons_non_standard_nan() -> None:
    assert json.loads(dumps({"x": float("nan"), "y": float("inf")})) == {"x": None, "y": None}


def test_reading_gives_what_the_standard_library_gives() -> None:
    body = json.dumps({"events": [{"event": "user", "text": "you never listen \u2764", "confidence": 0.91,
                                   "n": -(2**63), "tiny": 1e-7, "none": None, "flag": True}]})
    assert loads(body) == json.loads(body) and loads(body.encode()) == json.loads(body)


@pytest.mark.parametrize("body", ['{"x": NaN, "y": Infinity}', '{"lone": "\\ud800"}', b'{"x": NaN}'])
def test_what_orjson_refuses_to_read_is_read_by_the_standard_library(body: str | bytes) -> None:
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(body)
    assert repr(loads(body)) == repr(json.loads(body))  # repr: NaN is not equal to itself


def test_an_integer_wider_than_64_bits_is_read_as_a_float_the_one_difference() -> None:
    assert loads('{"wide": 18446744073709551616}') == {"wide": 18446744073709551616.0}
    assert isinstance(loads("[-9223372036854775809]")[0], float)
    assert isinstance(loads("[18446744073709551615, -9223372036854775808]")[0], int)  # 64 bits still fit


def test_what_the_standard_library_refuses_to_read_is_still_refused() -> None:
    with pytest.raises(json.JSONDecodeError):
        loads('{"unfinished": ')
