"""The safety replies, composed from the wording in data/wording/safety.yml and a country's Resources.

The wording is data so a counsellor can change it without touching code; this module only fills in the
numbers, names the country it used (or assumed), and keeps each reply in the order the YAML gives.
"""

from __future__ import annotations

from typing import Any

from bot.dialogue.wording import texts
from bot.safety.resources import Resources, default_code


def _texts() -> dict[str, Any]:
    return texts("safety")


def _bullets(lines: tuple[str, ...]) -> str:
    return "\n".join(f"{_texts()['bullet']}{line}" for line in lines)


def _country_note(res: Resources) -> str:
    """Say which country the numbers are for, and invite a correction."""
    notes = _texts()["country_note"]
    if res.code == default_code():
        return notes["unknown"]
    return (notes["assumed"] if res.assumed else notes["known"]).format(where=res.where)


def _fill(templates: list[str], res: Resources) -> list[str]:
    values = {
        "crisis_lines": _bullets(res.crisis),
        "abuse_lines": _bullets(res.abuse),
        "first_crisis_line": res.crisis[0],
        "emergency": res.emergency,
        "where": res.where,
        "country_note": _country_note(res),
    }
    return [template.format(**values) for template in templates]


def crisis_messages(res: Resources) -> list[str]:
    """Reply to suicide or self-harm wording: acknowledge, say the bot can't help like a person can, give the
    country's crisis lines and emergency number, name the country, and ask whether they are safe right now."""
    return _fill(_texts()["crisis"], res)


def abuse_messages(res: Resources) -> list[str]:
    """Reply to an abuse disclosure: acknowledge, not their fault, domestic-abuse lines, the emergency
    number if in danger now, the country used, and no couples exercises."""
    return _fill(_texts()["abuse"], res)


def check_in_message(phrase: str | None = None) -> str:
    """A gentle question after ambiguous wording, quoting the person's own words back to them; without a
    phrase (only the intent classifier was worried), the same question without the quote."""
    if not phrase or not phrase.strip():
        return str(_texts()["check_in_unconfirmed"])
    return str(_texts()["check_in"]).format(phrase=phrase.strip())


def check_in_confirmed_message() -> str:
    """The opening line when someone answers a check-in with "yes"."""
    return str(_texts()["check_in_confirmed"])


def not_safe_messages(res: Resources) -> list[str]:
    """They said they are not safe: the emergency number first, then one crisis line; nothing else."""
    return _fill(_texts()["not_safe"], res)


def safe_again_message() -> str:
    """They said they are safe: relief, and the way back to the conversation."""
    return str(_texts()["safe_again"])


def hold_message() -> str:
    """Sent while waiting for an answer to "are you safe?", instead of going back to strategies."""
    return str(_texts()["hold"])


def resources_message(res: Resources) -> str:
    """Every line for the country in one text: for "show me the numbers" and the web page."""
    texts = _texts()["resources"]
    heading = texts["heading_unknown"] if res.code == default_code() else texts["heading_known"]
    parts = [
        heading.format(where=res.where),
        texts["emergency"].format(emergency=res.emergency),
        texts["crisis"],
        _bullets(res.crisis),
        texts["abuse"],
        _bullets(res.abuse),
        _country_note(res),
    ]
    return "\n".join(parts)
