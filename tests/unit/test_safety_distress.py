"""Distress markers: long or heavy distress is noticed, everyday facts about the relationship are not."""

from __future__ import annotations

import pytest

from bot.safety import distress_markers
from bot.safety.distress import load_rules
from bot.safety.rules import overlaps

RULES = load_rules()


@pytest.mark.parametrize("rule", RULES["markers"], ids=[rule.id for rule in RULES["markers"]])
def test_marker_example_is_found(rule) -> None:
    assert distress_markers(rule.example)


@pytest.mark.parametrize("rule", RULES["guards"], ids=[rule.id for rule in RULES["guards"]])
def test_guard_example_is_quiet(rule) -> None:
    assert distress_markers(rule.example) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("I've felt like this for years", ["for years"]),
        ("i cry every day", ["every day"]),
        ("panic attacks all the time for months", ["panic attacks", "all the time", "for months"]),
        ("i can't eat or sleep since she left", ["can't eat or sleep"]),
        ("I haven't slept properly in a week", ["haven't slept"]),
        ("i'm losing weight and i can't stop crying", ["losing weight", "can't stop crying"]),
        ("i can't concentrate at work anymore", ["can't concentrate"]),
        ("i can't function, i keep calling in sick", ["can't function", "calling in sick"]),
        ("I've been anxious about us for years", ["for years"]),
        ("since i was a kid i've been scared people will leave", ["since i was a kid"]),
        ("I HAVEN'T SLEPT FOR MONTHS", ["HAVEN'T SLEPT", "FOR MONTHS"]),
        ("it's taking over my life", ["taking over my life"]),
    ],
)
def test_markers_found(text: str, found: list[str]) -> None:
    assert distress_markers(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "we've been together for years",
        "I've been with him for years and I still get jealous",
        "we text every day",
        "he calls me all the time",
        "he replied k, what does that mean",
        "my car had a breakdown on the way to his",
        "do you think he still loves me?",
    ],
)
def test_ordinary_facts_are_not_markers(text: str) -> None:
    assert distress_markers(text) == []


def test_markers_are_not_repeated() -> None:
    assert distress_markers("every day, every day, every day") == ["every day"]


def test_guards_only_cancel_what_they_overlap() -> None:
    text = "we've been together for years and i've cried every night for months"
    assert distress_markers(text) == ["every night", "for months"]


def test_overlaps() -> None:
    from bot.nlp import load

    doc = load()("one two three four")
    assert overlaps(doc[0:2], doc[1:3]) and not overlaps(doc[0:2], doc[2:4])
