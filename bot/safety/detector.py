"""High-recall rule layer for crisis (suicide, self-harm) and abuse disclosures.

Why rules and not the intent classifier: a classifier trained on a few hundred examples misses rare,
oddly-worded disclosures, and a miss here is the one error the bot must not make. The rules live in
data/safety/patterns.yml (with the decision behind each ambiguous family); this module only applies them:

* a `patterns` match sets crisis or abuse;
* a `guards` match removes overlapping matches ("hit me up", "my feet are killing me");
* an `ambiguous` match ("this is killing me") sets check_in, but only when nothing real was found, so the
  bot asks a gentle question instead of sending crisis lines for a figure of speech.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from bot.paths import DATA
from bot.safety.rules import Rule, RuleSet, matchable, overlaps, parse_rules, read_yaml

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

PATTERNS_FILE = DATA / "safety" / "patterns.yml"
CATEGORIES = ("crisis", "abuse")
CHECK_IN = "check_in"


@dataclass(frozen=True)
class SafetyHit:
    """One crisis or abuse match, with character offsets into the text the Doc was made from."""

    pattern_id: str
    category: str  # "crisis" | "abuse"
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class SafetyResult:
    """What the rule layer found in one message."""

    crisis: bool
    abuse: bool
    check_in: bool  # ambiguous wording (e.g. figurative "killing me") with no real hit
    hits: tuple[SafetyHit, ...]
    ambiguous: tuple[str, ...]  # the ambiguous phrases found, as written

    @property
    def kind(self) -> str | None:
        """The reply to give: crisis wins over abuse (life first), then abuse, then a check-in."""
        if self.crisis:
            return "crisis"
        if self.abuse:
            return "abuse"
        if self.check_in:
            return CHECK_IN
        return None


@dataclass(frozen=True)
class _Layer:
    patterns: RuleSet
    ambiguous: RuleSet
    guards: RuleSet


def load_rules() -> dict[str, list[Rule]]:
    """Parse patterns.yml into its three sections; used by the detector and by the pattern tests."""
    raw = read_yaml(PATTERNS_FILE)
    lists = raw.get("lists", {})
    sections = {name: parse_rules(raw.get(name, []), lists) for name in ("patterns", "ambiguous", "guards")}
    for rule in sections["patterns"]:
        if rule.category not in CATEGORIES:
            raise ValueError(f"Pattern {rule.id!r} needs category crisis or abuse, not {rule.category!r}")
    for rule in sections["guards"]:
        if not set(rule.blocks) <= {*CATEGORIES, CHECK_IN}:
            raise ValueError(f"Guard {rule.id!r} blocks unknown categories {rule.blocks!r}")
    return sections


@cache
def _layer() -> _Layer:
    sections = load_rules()
    return _Layer(*(RuleSet(sections[name]) for name in ("patterns", "ambiguous", "guards")))


def _guard_blocks(guard: Rule) -> tuple[str, ...]:
    return guard.blocks or (*CATEGORIES, CHECK_IN)


def _blocked(span: Span, category: str, guards: list[tuple[Rule, Span]]) -> bool:
    """True if a guard for this category overlaps the span (shares at least one token)."""
    return any(category in _guard_blocks(rule) and overlaps(span, guard) for rule, guard in guards)


def raw_matches(text_or_doc: str | Doc) -> dict[str, list[tuple[str, Span]]]:
    """Every pattern, ambiguous and guard match before guards are applied (for tests and debugging).

    The spans belong to the lower-cased Doc the rules run on; their character offsets fit the original text.
    """
    _, doc = matchable(text_or_doc)
    layer = _layer()
    return {
        "patterns": layer.patterns.spans(doc),
        "ambiguous": layer.ambiguous.spans(doc),
        "guards": layer.guards.spans(doc),
    }


def detect(text_or_doc: str | Doc) -> SafetyResult:
    """Check one message for crisis or abuse wording; accepts a string or a Doc from the project pipeline."""
    text, doc = matchable(text_or_doc)
    matches = raw_matches(doc)
    layer = _layer()
    guards = [(layer.guards.rules[rule_id], span) for rule_id, span in matches["guards"]]
    hits = []
    for rule_id, span in matches["patterns"]:
        category = layer.patterns.rules[rule_id].category or ""
        if not _blocked(span, category, guards):
            start, end = span.start_char, span.end_char
            hits.append(SafetyHit(rule_id, category, text[start:end], start, end))
    ambiguous = tuple(
        dict.fromkeys(
            text[span.start_char : span.end_char]
            for _, span in matches["ambiguous"]
            if not _blocked(span, CHECK_IN, guards)
        )
    )
    crisis = any(hit.category == "crisis" for hit in hits)
    abuse = any(hit.category == "abuse" for hit in hits)
    return SafetyResult(
        crisis=crisis,
        abuse=abuse,
        check_in=bool(ambiguous) and not (crisis or abuse),
        hits=tuple(hits),
        ambiguous=ambiguous,
    )
