"""Which reflection and which strategy the bot offers for an insecurity theme.

The wording lives in data/content/strategies.yml so it can be reviewed like any other content; this module
only decides what comes next. It has no Rasa imports, so the action server and the unit tests share one
implementation. Every choice is deterministic (file order, a caller-supplied seed) so a conversation can be
replayed and tested, and the only memory it needs is the list of strategy ids already given, which the caller
keeps in a slot: that is how a strategy is never offered twice in one conversation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import yaml

from bot.paths import DATA

STRATEGIES_FILE = DATA / "content" / "strategies.yml"
# Where the person's own words go in a `with_cue` reflection; replaced literally, never with str.format,
# because a cue is user text and may contain braces.
CUE_SLOT = "{cue}"


@dataclass(frozen=True)
class Strategy:
    """One concrete suggestion; `theme` is where it is listed, which may differ from the theme asked about."""

    id: str
    theme: str
    kind: str
    title: str
    text: str
    step: str


@dataclass(frozen=True)
class _Theme:
    label: str
    button: str
    related: tuple[str, ...]
    with_cue: tuple[str, ...]
    without_cue: tuple[str, ...]
    strategies: tuple[Strategy, ...]


@dataclass(frozen=True)
class _Content:
    themes: dict[str, _Theme]
    greeting_buttons: tuple[str, ...]


@lru_cache(maxsize=1)
def _content() -> _Content:
    """Read the content file once per process: it is small and does not change while the bot runs."""
    with STRATEGIES_FILE.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    themes = {
        name: _Theme(
            label=entry["label"],
            button=entry["button"],
            related=tuple(entry["related"]),
            with_cue=tuple(entry["reflections"]["with_cue"]),
            without_cue=tuple(entry["reflections"]["without_cue"]),
            strategies=tuple(Strategy(theme=name, **item) for item in entry["strategies"]),
        )
        for name, entry in raw["themes"].items()
    }
    return _Content(themes=themes, greeting_buttons=tuple(raw["greeting_buttons"]))


def _theme(theme: str) -> _Theme:
    try:
        return _content().themes[theme]
    except KeyError:
        raise ValueError(f"Unknown theme {theme!r}; expected one of {THEMES}") from None


THEMES: tuple[str, ...] = tuple(_content().themes)


def theme_label(theme: str) -> str:
    """How the bot names the theme inside a sentence, e.g. "jealousy" or "overthinking"."""
    return _theme(theme).label


def theme_button(theme: str) -> dict[str, str]:
    """The theme's one-tap button; the payload triggers the theme intent directly."""
    return {"title": _theme(theme).button, "payload": f"/{theme}"}


def theme_buttons() -> list[dict[str, str]]:
    """Greeting buttons for the main themes."""
    return [theme_button(name) for name in _content().greeting_buttons]


def reflection(theme: str, cue: str | None, seed: int) -> str:
    """A one-sentence reflection, quoting the person's own words (`cue`) when the NLU found some.

    `seed` picks the variant (any int, e.g. the turn number) so repeated visits to a theme sound less
    canned while staying reproducible. The cue is inserted verbatim, only trimmed of outer whitespace.
    """
    entry = _theme(theme)
    words = (cue or "").strip()
    variants = entry.with_cue if words else entry.without_cue
    return variants[seed % len(variants)].replace(CUE_SLOT, words)


def _reachable(theme: str) -> list[str]:
    """The theme, then its related themes breadth-first, in file order, each once.

    Following relations transitively means "another idea" only runs dry when every connected theme is used up.
    """
    order = [theme]
    for name in order:  # the list grows while we walk it: a breadth-first search
        order.extend(other for other in _theme(name).related if other not in order)
    return order


def next_strategy(theme: str, given: Sequence[str]) -> Strategy | None:
    """The first strategy not in `given`: the theme's own in file order, then those of related themes.

    Returns None only when every strategy reachable from `theme` has been given. Ids in `given` that are
    unknown (e.g. from an older content file) are simply ignored.
    """
    used = set(given)
    for name in _reachable(theme):
        for strategy in _theme(name).strategies:
            if strategy.id not in used:
                return strategy
    return None


def strategy_message(strategy: Strategy) -> str:
    """The strategy as plain text on three lines: title, why it helps, and one small step to try.

    Plain text (no HTML or markdown markup) so it reads the same in the web widget, the shell and logs.
    """
    return f"{strategy.title}\n{strategy.text}\nTry this: {strategy.step}"
