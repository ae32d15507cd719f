"""Everything the bot says comes from data/wording/: no sentence or button title is spelled out in the code
of bot/, every button named in the wording exists, and every button sends an intent the domain knows."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

from bot.dialogue.wording import WORDING, button, line, texts, variant
from bot.paths import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
# Where sentences may appear in code: not in the bot's own packages (the web page's static files are HTML).
DOMAIN_CODE = [path for path in (ROOT / "bot").rglob("*.py")
               if not path.is_relative_to(ROOT / "bot" / "runtime") and not path.is_relative_to(ROOT / "bot" / "tools")]


def _said_literally(path: Path) -> list[str]:
    """Calls of `.say(...)` or `Button(...)` whose first argument is a string written in the code."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], (ast.Constant, ast.JoinedStr)):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in {"say", "Button"} and not (isinstance(node.args[0], ast.Constant)
                                                  and not isinstance(node.args[0].value, str)):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_sentence_or_button_is_spelled_out_in_the_bots_code() -> None:
    assert DOMAIN_CODE
    assert [place for path in DOMAIN_CODE for place in _said_literally(path)] == []


def test_every_wording_file_starts_with_a_comment_saying_who_reads_it() -> None:
    for path in WORDING.glob("*.yml"):
        assert path.read_text(encoding="utf-8").startswith("# "), path.name


def test_every_button_sends_an_intent_of_the_domain() -> None:
    for key, entry in texts("buttons").items():
        assert set(entry) == {"title", "payload"}, key
        assert entry["payload"].lstrip("/") in DOMAIN["intents"], key
        assert 0 < len(entry["title"]) <= 40, key
    titles = [entry["title"] for entry in texts("buttons").values()]
    assert len(titles) == len(set(titles)), "one button, one definition"


def test_every_button_a_reply_names_exists() -> None:
    from bot.strategies.catalogue import THEMES

    for name in ("chitchat",):
        for key, entry in texts(name).items():
            for named in (entry.get("buttons", []) if isinstance(entry, dict) else []):
                assert named in THEMES or button(named), (name, key, named)


def test_a_text_is_found_by_its_dotted_key_and_filled_in() -> None:
    assert line("coach", "exercise.ask_attempt.last").startswith("Last try")
    assert "{x}" in line("coach", "exercise.suggestion", suggestion="{x}")  # values are not read as templates
    with pytest.raises(TypeError):
        line("coach", "exercise.ask_attempt")
    assert variant(["a", "b"], 3) == "b" and variant("only", 7) == "only"
