"""Distress markers: wording that shows heavy or long-lasting distress ("for years", "panic attacks",
"can't eat or sleep"), so the bot offers professional help without being asked.

Softer than the crisis layer (bot/safety/detector.py): a marker adds a suggestion to see a counsellor or GP,
it never replaces the strategies. The wording lives in data/safety/distress.yml.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from bot.paths import DATA
from bot.safety.rules import Rule, RuleSet, matchable, overlaps, parse_rules, read_yaml

if TYPE_CHECKING:
    from spacy.tokens import Doc

DISTRESS_FILE = DATA / "safety" / "distress.yml"


def load_rules() -> dict[str, list[Rule]]:
    """Parse distress.yml into its `markers` and `guards` sections (also used by the tests)."""
    raw = read_yaml(DISTRESS_FILE)
    lists = raw.get("lists", {})
    return {name: parse_rules(raw.get(name, []), lists) for name in ("markers", "guards")}


@cache
def _rule_sets() -> tuple[RuleSet, RuleSet]:
    sections = load_rules()
    return RuleSet(sections["markers"]), RuleSet(sections["guards"])


def distress_markers(text_or_doc: str | Doc) -> list[str]:
    """The distress phrases found in a message, as written and in order, without repeats ([] if none)."""
    text, doc = matchable(text_or_doc)
    markers, guards = _rule_sets()
    guard_spans = [span for _, span in guards.spans(doc)]
    found = [
        text[span.start_char : span.end_char]
        for _, span in markers.spans(doc)
        if not any(overlaps(span, guard) for guard in guard_spans)
    ]
    return list(dict.fromkeys(found))
