"""spaCy matchers over the coach's lexicons, built once per process.

Every lexicon phrase is run through the same normalisation as the person's text (bot.coach.text.parse), then
added to a PhraseMatcher on NORM (normalised lowercase). Behaviour phrases use a PhraseMatcher on LEMMA, so
"phones" and "texted" match "phone" and "text"; feelings and labels do not, because lemmas would turn verbs
into them ("I'm moving" is not "moved", "you lied" is not "lying"). Patterns that need word order with gaps
("you [are always] making me") use a token Matcher. One call to `find` runs them all and returns `Hits`.
Match ids are "<category>|<entry>", so a hit says both what kind of cue it is and which entry matched.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Iterable

from bot.coach.lexicon import Lexicon
from bot.coach.lexicon import load as load_lexicon
from bot.coach.text import Parsed, parse
from bot.nlp import load as load_pipeline

if TYPE_CHECKING:
    from spacy.matcher import Matcher, PhraseMatcher

PARTNER_SUBJECTS = ["you", "he", "she", "they"]
# Words allowed between "you" and "make me": "you're always making me", "you keep making me".
_MAKE_ME_GAP = [
    "are", "is", "were", "was", "always", "just", "really", "constantly", "keep", "kept", "literally",
    "seriously", "even", "never", "totally", "so", "do", "does", "did", "will", "would", "can", "could",
    "have", "has",
]


@dataclass(frozen=True)
class Hit:
    """One lexicon match: tokens start..end-1 matched `entry` of `category`."""

    category: str
    entry: str
    start: int
    end: int


class Hits:
    """All matches in one text, indexed by category and start token."""

    def __init__(self, hits: Iterable[Hit]) -> None:
        self._by_category: dict[str, list[Hit]] = defaultdict(list)
        for hit in sorted(set(hits), key=lambda h: (h.start, -(h.end - h.start))):
            self._by_category[hit.category].append(hit)

    def all(self, category: str) -> list[Hit]:
        """Every hit of a category, overlapping ones included, by start then length."""
        return list(self._by_category.get(category, ()))

    def longest(self, category: str) -> list[Hit]:
        """Non-overlapping hits of a category, preferring longer then earlier ones."""
        chosen: list[Hit] = []
        taken: set[int] = set()
        for hit in sorted(self.all(category), key=lambda h: (-(h.end - h.start), h.start)):
            if not taken.intersection(range(hit.start, hit.end)):
                chosen.append(hit)
                taken.update(range(hit.start, hit.end))
        return sorted(chosen, key=lambda h: h.start)

    def ending(self, category: str, end: int) -> Hit | None:
        """The longest hit of a category ending just before token `end`."""
        found = [h for h in self._by_category.get(category, ()) if h.end == end]
        return max(found, key=lambda h: h.end - h.start) if found else None

    def at(self, category: str, i: int) -> Hit | None:
        """The longest hit of a category starting at token i."""
        found = [h for h in self._by_category.get(category, ()) if h.start == i]
        return max(found, key=lambda h: h.end) if found else None


@dataclass(frozen=True)
class _Matchers:
    norm: PhraseMatcher
    lemma: PhraseMatcher
    tokens: Matcher


def _norm_phrases(lex: Lexicon) -> dict[str, Iterable[str]]:
    language, cues = lex.language, lex.cues
    return {
        "feeling": lex.feelings,
        "pseudo": lex.pseudo,
        "need": lex.needs,
        "request": lex.request_openers,
        "always_never": lex.absolutes["always_never"],
        "quantifier": lex.absolutes["quantifiers"],
        "after_negation": lex.absolutes["after_negation"],
        "label": _with_plurals(lex.labels),
        "sarcasm": cues["sarcasm"],
        "blame": cues["blame"],
        "rhetorical": cues["rhetorical"],
        "command_phrase": cues["command_phrases"],
        "intensifier": language["intensifiers"],
        "filler": language["fillers"],
        "situation": language["situation_openers"],
        "leading_situation": language["leading_situation"],
        "need_verb": language["need_verbs"],
        "need_wish": language["need_wishes"],
        "need_after": language["need_after"],
        "warm": language["warm_words"],
    }


def _plural(word: str) -> str:
    """A regular English plural: "liar" -> "liars", "bully" -> "bullies", "mess" -> "messes"."""
    if word.endswith(("s", "sh", "ch", "x")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _with_plurals(labels: Iterable[str]) -> list[str]:
    """Labels plus their plurals ("liars", "you're such babies"): nouns only, so no verb forms sneak in."""
    return sorted({form for label in labels for form in (label, _plural(label))})


def _add(matcher: PhraseMatcher, category: str, phrases: Iterable[str]) -> None:
    """Add each phrase, normalised like a person's text, under the id "<category>|<phrase>"."""
    for phrase in phrases:
        matcher.add(f"{category}|{phrase}", [parse(phrase).doc])


@cache
def _matchers() -> _Matchers:
    from spacy.matcher import Matcher, PhraseMatcher

    lex = load_lexicon()
    vocab = load_pipeline().vocab
    norm = PhraseMatcher(vocab, attr="NORM")
    lemma = PhraseMatcher(vocab, attr="LEMMA")
    for category, phrases in _norm_phrases(lex).items():
        _add(norm, category, phrases)
    for behaviour in lex.behaviours:
        lemma.add(f"behaviour|{behaviour.key}", [parse(phrase).doc for phrase in behaviour.match])

    tokens = Matcher(vocab)
    tokens.add(
        "you_make_me|you make me",
        [
            [
                {"NORM": {"IN": PARTNER_SUBJECTS}},
                {"NORM": {"IN": _MAKE_ME_GAP}, "OP": "*"},
                {"LEMMA": {"IN": list(lex.cues["you_make_me"])}},
                {"NORM": {"IN": ["me", "myself"]}},
            ]
        ],
    )
    tokens.add(
        "always_never|every <unit>",
        [
            [  # "every weekend", "every single time"
                {"NORM": "every"},
                {"NORM": {"IN": ["single", "other"]}, "OP": "?"},
                {"NORM": {"IN": list(lex.absolutes["every_units"])}},
            ]
        ],
    )
    modals = list(lex.cues["command_modals"])
    tokens.add(
        "command_modal|you need to",
        [
            # "you need to", "you have to", "you got to": the "to" is required, "you have a point" is no order
            [
                {"NORM": "you"},
                {"NORM": {"IN": [m for m in modals if m in {"need", "have", "got"}]}},
                {"NORM": "to"},
            ],
            # "you should", "you'd better", "you must", "you gotta"
            [
                {"NORM": "you"},
                {"NORM": {"IN": ["would", "had"]}, "OP": "?"},
                {"NORM": {"IN": [m for m in modals if m not in {"need", "have", "got"}]}},
            ],
        ],
    )
    return _Matchers(norm, lemma, tokens)


def find(parsed: Parsed) -> Hits:
    """Run every matcher over a parsed text."""
    matchers = _matchers()
    strings = parsed.doc.vocab.strings
    found: list[Hit] = []
    for matcher in (matchers.norm, matchers.lemma, matchers.tokens):
        for match_id, start, end in matcher(parsed.doc):
            category, entry = strings[match_id].split("|", 1)
            found.append(Hit(category, entry, start, end))
    return Hits(found)
