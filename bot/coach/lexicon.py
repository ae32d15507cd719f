"""The coach's word lists, loaded once from data/lexicon/*.yml.

The rules in this package only encode *how* to read a sentence; *which* words are feelings, labels, absolutes
or requests lives in YAML so it can be reviewed and extended without touching code. Each file's header says
what it holds and how the coach uses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.dialogue.wording import texts
from bot.paths import DATA

LEXICON_DIR = DATA / "lexicon"


@dataclass(frozen=True)
class PseudoFeeling:
    """A word that sounds like a feeling but says what the other person did ("abandoned")."""

    word: str
    feelings: tuple[str, ...]  # real feelings often underneath, e.g. ("lonely", "scared")
    need: str  # phrased to follow "because I need"
    not_before: tuple[str, ...]  # next words that change the meaning ("used to")


@dataclass(frozen=True)
class Behaviour:
    """A common complaint and a neutral way to say it, used to build rewrites."""

    key: str  # "behaviour:<index>", the matcher id
    match: tuple[str, ...]
    observation: str  # starts with "when"
    feeling: str
    need: str
    request: str
    polarity: str | None  # "negative", "positive" or None (either)
    evaluative: bool  # the verb itself is a verdict (lie, ignore): never reuse the speaker's words
    topic: bool  # names a subject (family, work) rather than something done: used only when nothing else fits


@dataclass(frozen=True)
class Lexicon:
    """Every list the coach reads, in the shape the rules need."""

    feelings_unmet: dict[str, tuple[str, ...]]  # family -> words
    feelings_met: dict[str, tuple[str, ...]]
    feeling_verbs: frozenset[str]  # "worry", "miss", "love": feelings said as verbs
    pseudo: dict[str, PseudoFeeling]
    needs: tuple[str, ...]
    request_openers: tuple[str, ...]
    absolutes: dict[str, tuple[str, ...]]  # always_never, quantifiers, after_negation
    labels: tuple[str, ...]
    behaviours: tuple[Behaviour, ...]
    cues: dict[str, tuple[str, ...]]  # blame_cues.yml
    language: dict[str, Any]  # language.yml
    messages: dict[str, Any]  # what the coach says: data/wording/coach.yml

    @property
    def feelings_met_words(self) -> tuple[str, ...]:
        """Feeling words for met needs ("happy", "safe")."""
        return tuple(w for words in self.feelings_met.values() for w in words)

    @property
    def feelings(self) -> tuple[str, ...]:
        """All feeling words, unmet first."""
        return tuple(w for fam in (self.feelings_unmet, self.feelings_met) for ws in fam.values() for w in ws)

    def underneath(self, pseudo_text: str) -> str:
        """The feelings beneath a pseudo-feeling as text ("lonely or scared"); a gentle guess if unknown."""
        entry = self.pseudo.get(" ".join(pseudo_text.lower().split()))
        feelings = entry.feelings if entry else ("hurt", "sad")
        return " or ".join(feelings)

    def behaviour(self, key: str) -> Behaviour:
        """The behaviour entry with matcher id `key`."""
        return self.behaviours[int(key.split(":", 1)[1])]


def read(name: str) -> Any:
    """Parse one lexicon file (`name` without the .yml)."""
    with (LEXICON_DIR / f"{name}.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _families(data: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {family: tuple(words) for family, words in data.items()}


@cache
def load() -> Lexicon:
    """Read every lexicon file once per process."""
    unmet, met = read("feelings_unmet"), read("feelings_met")
    pseudo = {
        word: PseudoFeeling(word, tuple(e["feelings"]), e["need"], tuple(e.get("not_before", ())))
        for word, e in read("pseudo_feelings").items()
    }
    behaviours = tuple(
        Behaviour(
            key=f"behaviour:{i}",
            match=tuple(e["match"]),
            observation=e["observation"],
            feeling=e["feeling"],
            need=e["need"],
            request=e["request"],
            polarity=e.get("polarity"),
            evaluative=bool(e.get("evaluative", False)),
            topic=bool(e.get("topic", False)),
        )
        for i, e in enumerate(read("behaviours"))
    )
    return Lexicon(
        feelings_unmet=_families(unmet["families"]),
        feelings_met=_families(met["families"]),
        feeling_verbs=frozenset(unmet["verbs"]) | frozenset(met["verbs"]),
        pseudo=pseudo,
        needs=tuple(w for words in read("needs").values() for w in words),
        request_openers=tuple(read("request_openers")),
        absolutes={k: tuple(v) for k, v in read("absolutes").items()},
        labels=tuple(read("labels")),
        behaviours=behaviours,
        cues={k: tuple(v) for k, v in read("blame_cues").items()},
        language=read("language"),
        messages=texts("coach"),
    )


def lexicon_files() -> list[Path]:
    """Every lexicon file, for the schema test."""
    return sorted(LEXICON_DIR.glob("*.yml"))
