"""What the bot says about professional help: when it helps, kinds, finding someone, low cost, the offer.

The paragraphs live in data/content/professional_help.yml so they can be reviewed as content. They carry no
phone numbers or addresses: crisis resources depend on the person's country and belong to the safety layer.
"""

from __future__ import annotations

from functools import lru_cache

import yaml

from bot.paths import DATA

HELP_FILE = DATA / "content" / "professional_help.yml"


@lru_cache(maxsize=1)
def _load() -> dict[str, str]:
    """Read the file once per process; it is small and does not change while the bot runs."""
    with HELP_FILE.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    return {key: " ".join(text.split()) for key, text in raw.items()}


def professional_help() -> dict[str, str]:
    """Topic -> paragraph (keys: when_it_helps, kinds, how_to_find, low_cost, offer).

    Returns a copy so a caller that edits it cannot change what the next conversation sees.
    """
    return dict(_load())
