"""Everything the bot says, read from one place: data/wording/ (one YAML file per capability, plus buttons.yml).

Code names a sentence by file and key and never spells it out, so a counsellor reviews and edits the
wording without touching code. Only the answers Rasa's ResponseSelector picks (what insecurity is, the
exercises' asides) stay beside their questions in data/nlu/, because Rasa trains on them there. A list of
texts is a set of variants: `variant` picks one by a seed, so a conversation can be replayed and tested.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Sequence

import yaml

from bot.dialogue.reply import Button
from bot.paths import DATA

WORDING = DATA / "wording"


@cache
def texts(name: str) -> dict[str, Any]:
    """The whole of data/wording/<name>.yml, read once per process."""
    with (WORDING / f"{name}.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def line(name: str, key: str, **values: Any) -> str:
    """One text by its dotted key ("exercise.ask_attempt.first"), with {placeholders} filled from `values`
    (the template is ours; values, which may quote the person, are inserted as they are)."""
    found: Any = texts(name)
    for part in key.split("."):
        found = found[part]
    if not isinstance(found, str):
        raise TypeError(f"data/wording/{name}.yml: {key} is not one text")
    return found.format(**values) if values else found


def variant(options: str | Sequence[str], seed: int) -> str:
    """One of a set of variants (a single text is its own only variant)."""
    return options if isinstance(options, str) else options[seed % len(options)]


def button(key: str) -> Button:
    """A button of buttons.yml by its key."""
    entry = texts("buttons")[key]
    return Button(entry["title"], entry["payload"])


def buttons(*keys: str) -> list[Button]:
    return [button(key) for key in keys]
