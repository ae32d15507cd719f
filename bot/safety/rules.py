"""Turn rule entries from the YAML files under data/safety/ into spaCy matchers.

The detector, the distress markers and the country finder all describe their wording the same way (an id,
spaCy Matcher token patterns and/or plain phrases, an example), so one small compiler serves all three and
counsellors edit data, not code. spaCy is imported inside functions only: importing this package must not
pull in spaCy (and, through thinc, TensorFlow) before a command-line entry point has called
`bot.nlp.keep_tensorflow_out()`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

_ENTRY_KEYS = {"id", "category", "comment", "example", "tokens", "phrases", "blocks"}


@dataclass(frozen=True)
class Rule:
    """One entry of a rule file; `tokens` are spaCy Matcher patterns with `$list` names already expanded."""

    id: str
    tokens: tuple[tuple[Mapping[str, Any], ...], ...]
    phrases: tuple[str, ...]
    example: str | None
    category: str | None = None
    blocks: tuple[str, ...] = ()


class _WordLoader(yaml.SafeLoader):
    """YAML 1.1 reads on/off/yes/no as booleans; in word lists they are words ("hit me up", "off myself")."""


_WordLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_WordLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def read_yaml(path: Path) -> Any:
    """Read one YAML data file (UTF-8); only true/false are booleans."""
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_WordLoader)  # noqa: S506 - a SafeLoader subclass


def _expand(value: Any, lists: Mapping[str, list[str]]) -> Any:
    """Replace `$name` items inside IN / NOT_IN lists by the named word list, recursively."""
    if isinstance(value, Mapping):
        return {key: _expand(item, lists) for key, item in value.items()}
    if isinstance(value, str) and value.startswith("$"):
        return list(_lookup(value, lists))
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            if isinstance(item, str) and item.startswith("$"):
                out.extend(_lookup(item, lists))
            elif isinstance(item, (int, float)) and not isinstance(item, bool):
                out.append(str(item))  # a word list holding "2" (texting for "to") means the text "2"
            else:
                out.append(_expand(item, lists))
        return out
    return value


def _lookup(name: str, lists: Mapping[str, list[str]]) -> list[str]:
    try:
        return [str(word) for word in lists[name[1:]]]
    except KeyError:
        raise ValueError(f"Unknown word list {name!r} in a safety rule") from None


def parse_rules(entries: Iterable[Mapping[str, Any]], lists: Mapping[str, list[str]]) -> list[Rule]:
    """Validate raw YAML entries and expand their word lists; a typo in a data file fails loudly here."""
    rules = []
    seen: set[str] = set()
    for entry in entries:
        unknown = set(entry) - _ENTRY_KEYS
        if unknown or "id" not in entry:
            name = entry.get("id", entry)
            raise ValueError(f"Bad safety rule entry {name!r}: unknown keys {sorted(unknown)}")
        rule_id = str(entry["id"])
        if rule_id in seen:
            raise ValueError(f"Duplicate safety rule id {rule_id!r}")
        seen.add(rule_id)
        tokens = tuple(
            tuple(_expand(token, lists) for token in pattern) for pattern in entry.get("tokens", [])
        )
        phrases = tuple(str(phrase) for phrase in entry.get("phrases", []))
        if not tokens and not phrases:
            raise ValueError(f"Safety rule {rule_id!r} has neither tokens nor phrases")
        rules.append(
            Rule(
                id=rule_id,
                tokens=tokens,
                phrases=phrases,
                example=entry.get("example"),
                category=entry.get("category"),
                blocks=tuple(entry.get("blocks", ())),
            )
        )
    return rules


class RuleSet:
    """A compiled group of rules: token patterns go to a Matcher, phrases to a PhraseMatcher on LOWER."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        from bot.nlp import load

        nlp = load()
        self.rules = {rule.id: rule for rule in rules}
        self._matcher = Matcher(nlp.vocab, validate=True)
        self._phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        for rule in self.rules.values():
            if rule.tokens:
                self._matcher.add(rule.id, [list(pattern) for pattern in rule.tokens])
            if rule.phrases:
                # Lower-cased like the text they are matched against (see `matchable`): "U.S." and "u.s."
                # are tokenised differently, so the phrase must be tokenised the way the message will be.
                self._phrases.add(rule.id, [nlp.make_doc(phrase.lower()) for phrase in rule.phrases])
        self._strings = nlp.vocab.strings
        # Only non-empty matchers run: an empty one warns on every call.
        self._matchers = [matcher for matcher in (self._matcher, self._phrases) if len(matcher)]

    def spans(self, doc: Doc) -> list[tuple[str, Span]]:
        """All matches as (rule id, span); per rule, overlapping matches collapse to the longest one."""
        from spacy.util import filter_spans

        by_rule: dict[str, list[Span]] = {}
        for match_id, start, end in [match for matcher in self._matchers for match in matcher(doc)]:
            by_rule.setdefault(self._strings[match_id], []).append(doc[start:end])
        found = [(rule_id, span) for rule_id, spans in by_rule.items() for span in filter_spans(spans)]
        return sorted(found, key=lambda item: (item[1].start, item[1].end, item[0]))


def overlaps(first: Span, second: Span) -> bool:
    """True if two spans of the same Doc share at least one token (a guard cancels what it overlaps)."""
    return first.start < second.end and second.start < first.end


def matchable(text_or_doc: str | Doc) -> tuple[str, Doc]:
    """The original text and a lower-cased Doc of it with the same character offsets.

    Accepts a string or a Doc from the project pipeline (the Rasa component passes its own Doc). Matching
    always runs on lower-case text because the lookup lemmatizer is case-sensitive ("HURTING" gets no lemma),
    and people in distress do write in capitals. Hits are reported with the original wording: slice the
    returned text with a span's start_char/end_char.
    """
    from bot.nlp import load

    text = text_or_doc if isinstance(text_or_doc, str) else text_or_doc.text
    lowered = text.lower()
    if lowered == text and not isinstance(text_or_doc, str):
        return text, text_or_doc
    if len(lowered) != len(text):  # a few Unicode letters change length when lower-cased; keep offsets right
        return text, text_or_doc if not isinstance(text_or_doc, str) else load()(text)
    return text, load()(lowered)
