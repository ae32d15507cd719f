"""Crisis and abuse resources per country (data/safety/resources.yml) and finding the country in a message.

Every number comes from the project's checked notes with its source beside it in the YAML; this module adds
none. When the country is unknown the international default is used and marked `assumed`, so the reply can
say which country it assumed and invite a correction: a wrong country's numbers are worse than none.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from bot.paths import DATA
from bot.safety.rules import Rule, RuleSet, matchable, read_yaml

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

RESOURCES_FILE = DATA / "safety" / "resources.yml"
# Words that put a place name in context: "I'm in the UK", "from georgia", "moved to oz".
_LOCATION_WORDS = {"in", "from", "to", "near", "outside", "around", "at"}
# A first-person cue shortly before the place means it is where the person is ("I live in", "I'm from").
_FIRST_PERSON = {"i", "i'm", "im", "'m", "m", "me", "my", "we", "we're", "our", "live", "living", "based"}
_WHERE_NOW = {"in", "at", "near", "outside", "around", "to"}  # "live in" beats "I'm from"


@dataclass(frozen=True)
class Resources:
    """Who to contact in one country; `assumed` is True when the bot guessed rather than being told."""

    code: str
    name: str
    where: str  # as said in a sentence: "the UK"
    emergency: str
    crisis: tuple[str, ...]
    abuse: tuple[str, ...]
    assumed: bool


@cache
def _data() -> dict[str, Any]:
    data = read_yaml(RESOURCES_FILE)
    if data["default"] not in data["countries"]:
        raise ValueError("resources.yml: the default country is missing")
    return data


def default_code() -> str:
    """The code used when the country is unknown (the international entry)."""
    return str(_data()["default"])


def known_countries() -> dict[str, str]:
    """Code -> name for every country with its own numbers (the international default is left out)."""
    return {code: entry["name"] for code, entry in _data()["countries"].items() if code != default_code()}


def resources_for(code: str | None, *, assumed: bool = False) -> Resources:
    """The resources for a country code ("GB"); None or an unknown code gives the international default.

    Pass `assumed=True` when the code is a guess (e.g. a deployment's default country) rather than something
    the person said, so the reply names the country and asks them to correct it.
    """
    countries = _data()["countries"]
    key = (code or "").upper()
    if key not in countries or key == default_code():
        key, assumed = default_code(), True
    entry = countries[key]
    return Resources(
        code=key,
        name=entry["name"],
        where=entry["where"],
        emergency=entry["emergency"]["text"],
        crisis=tuple(line["text"] for line in entry["crisis"]),
        abuse=tuple(line["text"] for line in entry["abuse"]),
        assumed=assumed,
    )


@cache
def _aliases() -> RuleSet:
    rules = []
    for code, entry in _data()["countries"].items():
        if entry["aliases"]:
            rules.append(Rule(id=code, tokens=(), phrases=tuple(entry["aliases"]), example=None))
        if entry["context_aliases"]:
            context = tuple(entry["context_aliases"])
            rules.append(Rule(id=f"{code}@context", tokens=(), phrases=context, example=None))
    return RuleSet(rules)


def _word_before(span: Span) -> str:
    """The word before a place name, skipping "the" ("in the states")."""
    index = span.start - 1
    if index >= 0 and span.doc[index].lower_ == "the" and span[0].lower_ != "the":
        index -= 1
    return span.doc[index].lower_ if index >= 0 else ""


def _score(span: Span) -> int:
    """How surely a mention is where the person is: "I live in X" 3, "I'm from X" 2, "in X" 1, "X" 0."""
    before = _word_before(span)
    if before not in _LOCATION_WORDS:
        return 0
    start = max(0, span.start - 5)
    first_person = any(token.lower_ in _FIRST_PERSON for token in span.doc[start : span.start])
    if not first_person:
        return 1
    return 3 if before in _WHERE_NOW else 2


def find_country(text_or_doc: str | Doc) -> str | None:
    """The country code a message places the person in ("im in london" -> "GB"), or None.

    With several places, the surest wins (see `_score`), then the latest: "I'm from India but live in Canada
    now" -> "CA"; "he's in the US and I'm in the UK" -> "GB".
    """
    from spacy.util import filter_spans

    _, doc = matchable(text_or_doc)
    found = _aliases().spans(doc)
    codes = {(span.start, span.end): rule_id for rule_id, span in found}
    candidates = []
    for span in filter_spans([span for _, span in found]):  # longest wins: "new south wales" over "wales"
        rule_id = codes[(span.start, span.end)]
        if rule_id.endswith("@context") and _word_before(span) not in _LOCATION_WORDS:
            continue
        candidates.append((_score(span), span.start, rule_id.split("@")[0]))
    return max(candidates)[2] if candidates else None
