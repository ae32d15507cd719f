"""Professional help: when it helps, the kinds that exist, how to find someone, low-cost options, the offer.

The paragraphs live in data/wording/help.yml so they can be reviewed as content; this orders
them into four short messages, one topic per chat bubble. They carry no phone numbers or addresses: crisis
resources depend on the person's country and belong to the safety layer.
"""

from __future__ import annotations

from functools import lru_cache

from bot.dialogue.reply import Reply
from bot.dialogue.wording import button, texts


@lru_cache(maxsize=1)
def _load() -> dict[str, str]:
    """The paragraphs of data/wording/help.yml, each on one line."""
    return {key: " ".join(text.split()) for key, text in texts("help").items()}


def professional_help() -> dict[str, str]:
    """Topic -> paragraph (keys: when_it_helps, kinds, how_to_find, low_cost, offer).

    Returns a copy so a caller that edits it cannot change what the next conversation sees.
    """
    return dict(_load())


def professional_help_reply() -> Reply:
    """The answer to "should I see a therapist?" and to a yes after the unprompted offer."""
    text = professional_help()
    return (
        Reply()
        .say(text["when_it_helps"])
        .say(text["kinds"])
        .say(text["how_to_find"])
        .say(text["low_cost"], [button("back_to_tips")])
    )
