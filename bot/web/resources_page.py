"""The crisis and abuse resources as a page (/resources), so the numbers are one tap away without the bot.

The numbers come from data/safety/resources.yml through bot.safety.resources, the same source the bot's
safety replies use, so the page and the chat can never disagree. Every value is HTML-escaped: the YAML is
edited by people, and a stray "<" must stay a character.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from bot.safety.resources import Resources, default_code, known_countries, resources_for

TEMPLATE = Path(__file__).resolve().parent / "templates" / "resources.html"
MARKER = "<!-- countries -->"


def _lines(lines: tuple[str, ...]) -> str:
    return "".join(f"<li>{escape(line)}</li>" for line in lines)


def _section(res: Resources) -> str:
    code = escape(res.code.lower())
    return (
        f'<section class="country" id="{code}" aria-labelledby="{code}-name">'
        f'<h2 id="{code}-name">{escape(res.name)}</h2>'
        f'<p class="emergency">Emergency: call {escape(res.emergency)}</p>'
        "<h3>If you're thinking about suicide or hurting yourself</h3>"
        f"<ul>{_lines(res.crisis)}</ul>"
        "<h3>If someone is hurting or controlling you</h3>"
        f"<ul>{_lines(res.abuse)}</ul>"
        "</section>"
    )


def render_resources_page() -> str:
    """The whole page: a jump list, then every country with its own numbers, then the international options."""
    codes = [*known_countries(), default_code()]
    everyone = [resources_for(code) for code in codes]
    jump = "".join(f'<li><a href="#{escape(r.code.lower())}">{escape(r.name)}</a></li>' for r in everyone)
    body = f'<nav aria-label="Countries"><ul class="jump">{jump}</ul></nav>' + "".join(map(_section, everyone))
    template = TEMPLATE.read_text(encoding="utf-8")
    if MARKER not in template:
        raise ValueError(f"{TEMPLATE} has lost its {MARKER} marker")
    return template.replace(MARKER, body)
