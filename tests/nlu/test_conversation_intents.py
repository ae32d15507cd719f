"""Every message in the conversation tests gets the intent its story says, from the trained model.

`make test-stories` runs `rasa test core` on tests/conversations/, which checks the predicted actions but
takes each intent from the story as written (Rasa parses the text only with `--e2e`, which would also fail
every story on the entities the rule components add). So the wording half is checked here: the model, as
`make train` built it, parses each message, and the full pipeline's intent must match the story's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.paths import ROOT
from bot.tools.eval.parse import parse_all

CONVERSATIONS = sorted((ROOT / "tests" / "conversations").glob("test_*.yml"))


def turns(path: Path) -> Iterator[tuple[str, str, str]]:
    """(story name, message, intent) for each user step of the conversation tests in `path`."""
    for story in yaml.safe_load(path.read_text())["stories"]:
        for step in story["steps"]:
            if "user" in step:
                yield story["story"], step["user"].strip(), step["intent"]


TURNS = [(path.name, *turn) for path in CONVERSATIONS for turn in turns(path)]


@pytest.fixture(scope="module")
def parsed() -> dict[str, dict[str, Any]]:
    """All conversation-test messages parsed by the trained model, as `make eval` parses."""
    return parse_all(list(dict.fromkeys(text for _, _, text, _ in TURNS)))


def intent_of(result: dict[str, Any], expected: str) -> str:
    """The predicted intent, with its retrieval sub-intent when the story names one."""
    name = result["intent"]["name"]
    if "/" in expected and name == expected.split("/")[0]:
        return result["response_selector"][name]["response"]["intent_response_key"]
    return name


def test_the_conversation_tests_have_messages() -> None:
    assert len(CONVERSATIONS) >= 4 and len(TURNS) >= 50


@pytest.mark.parametrize(("file", "story", "text", "intent"), TURNS,
                         ids=[f"{file}:{text[:40]}" for file, _, text, _ in TURNS])
def test_message_gets_the_story_intent(parsed: dict[str, dict[str, Any]], file: str, story: str, text: str,
                                       intent: str) -> None:
    result = parsed[text]
    assert intent_of(result, intent) == intent, (
        f"{file}, story {story!r}: {text!r} was read as {result['intent']['name']} "
        f"({result['intent']['confidence']:.2f}), not {intent}")
