"""Small talk, and the answers for messages the bot cannot take in (empty, too long, not understood).

Each reply is one message from data/wording/chitchat.yml with its buttons; a variant is picked by `seed`.
"""

from __future__ import annotations

from typing import Sequence

from bot.dialogue.reply import Button, Reply
from bot.dialogue.wording import button, texts, variant
from bot.strategies import catalogue


def _buttons(keys: Sequence[str]) -> list[Button]:
    """buttons.yml entries by key; a theme's name stands for that theme's own button."""
    return [Button(**catalogue.theme_button(key)) if key in catalogue.THEMES else button(key) for key in keys]


def say(key: str, seed: int = 0) -> Reply:
    """The chitchat.yml entry `key`: a text, a list of variants, or a text with buttons."""
    entry = texts("chitchat")[key]
    if isinstance(entry, dict):
        return Reply().say(entry["text"], _buttons(entry.get("buttons", ())))
    return Reply().say(variant(entry, seed))


def greeting() -> Reply:
    """The first message: what the bot is (and is not), and one-tap ways in."""
    entry = texts("chitchat")["greet"]
    themes = [Button(**b) for b in catalogue.theme_buttons()]
    return Reply().say(entry["text"], [*themes, *_buttons(entry["buttons"])])
