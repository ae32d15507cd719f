"""Where the speaker owns a feeling: "I feel lonely", "I'm so hurt and let down", "it makes me sad".

A frame is the speaker ("I", or "it/this/that makes me", or a sentence opening with "feeling") joined by
linking verbs ("am", "'ve been", "get", "feel") to one or more predicates, each a real feeling
(feelings_*.yml) or a pseudo-feeling (pseudo_feelings.yml). Feelings said as verbs count too ("I worry",
"I miss you"). Without a parser this is a left-to-right walk: speaker, links and intensifiers, then predicates
joined by "and", "or" or commas.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.coach.lexicon import Lexicon
from bot.coach.matching import Hits
from bot.coach.text import Parsed

_JOINERS = {"and", ",", "or", "&", "but", "also", "plus"}
_MAKE_SUBJECTS = {"it", "this", "that", "which"}


@dataclass(frozen=True)
class Predicate:
    """A feeling word in a frame: `kind` is "feeling" or "pseudo"; `entry` the lexicon key."""

    kind: str
    entry: str
    start: int
    end: int


@dataclass(frozen=True)
class Frame:
    """The speaker owning one or more feelings; `start` is the speaker token."""

    start: int
    predicates: tuple[Predicate, ...]

    @property
    def end(self) -> int:
        return self.predicates[-1].end


def skip_intensifiers(parsed: Parsed, hits: Hits, i: int) -> int:
    """The first token at or after i that is not part of an intensifier ("really", "kind of")."""
    while i < len(parsed):
        hit = hits.at("intensifier", i)
        if hit is None:
            return i
        i = hit.end
    return i


def _predicate_at(parsed: Parsed, hits: Hits, lex: Lexicon, i: int) -> Predicate | None:
    """A feeling or pseudo-feeling starting at token i, the longer one winning ("let down" over "down")."""
    candidates = []
    pseudo = hits.at("pseudo", i)
    if pseudo is not None:
        after = parsed.norms[pseudo.end] if pseudo.end < len(parsed) else ""
        if after not in lex.pseudo[pseudo.entry].not_before:
            candidates.append(Predicate("pseudo", pseudo.entry, pseudo.start, pseudo.end))
    feeling = hits.at("feeling", i)
    if feeling is not None:
        candidates.append(Predicate("feeling", feeling.entry, feeling.start, feeling.end))
    return max(candidates, key=lambda p: p.end - p.start) if candidates else None


def _predicates(parsed: Parsed, hits: Hits, lex: Lexicon, i: int) -> tuple[Predicate, ...]:
    """Predicates from token i on: "so hurt and, honestly, let down"."""
    found: list[Predicate] = []
    while True:
        predicate = _predicate_at(parsed, hits, lex, skip_intensifiers(parsed, hits, i))
        if predicate is None:
            return tuple(found)
        found.append(predicate)
        i = predicate.end
        if i >= len(parsed) or parsed.norms[i] not in _JOINERS:
            return tuple(found)
        while i < len(parsed) and parsed.norms[i] in _JOINERS:
            i += 1


def _after_links(parsed: Parsed, hits: Hits, lex: Lexicon, i: int) -> tuple[int, bool]:
    """Walk "am / 've been / get / feel ..." after the speaker: (next index, whether a link verb was seen)."""
    links, cores = set(lex.language["speaker_links"]), set(lex.language["speaker_cores"])
    core = False
    while True:
        i = skip_intensifiers(parsed, hits, i)
        if i < len(parsed) and parsed.norms[i] in links:
            core = core or parsed.norms[i] in cores
            i += 1
        else:
            return i, core


def _frame_after_i(parsed: Parsed, hits: Hits, lex: Lexicon, i: int) -> Frame | None:
    """ "I feel lonely", "I've been so stressed", "I worry": the frame starting at the "I" at token i."""
    j, core = _after_links(parsed, hits, lex, i + 1)
    if core:
        predicates = _predicates(parsed, hits, lex, j)
        return Frame(i, predicates) if predicates else None
    if j < len(parsed) and parsed.lemmas[j] in lex.feeling_verbs:  # "I worry", "I really miss you"
        return Frame(i, (Predicate("feeling", parsed.lemmas[j], j, j + 1),))
    return None


def _frame_after_makes_me(parsed: Parsed, hits: Hits, lex: Lexicon, i: int) -> Frame | None:
    """ "it makes me sad", "this is making me nervous": the situation, not the partner, is the subject."""
    j = skip_intensifiers(parsed, hits, i + 1)
    if j < len(parsed) and parsed.norms[j] in {"is", "was"}:
        j = skip_intensifiers(parsed, hits, j + 1)
    if j + 1 < len(parsed) and parsed.lemmas[j] == "make" and parsed.norms[j + 1] == "me":
        j += 2
        if j < len(parsed) and parsed.lemmas[j] == "feel":
            j += 1
        predicates = _predicates(parsed, hits, lex, j)
        return Frame(i, predicates) if predicates else None
    return None


def find_frames(parsed: Parsed, hits: Hits, lex: Lexicon) -> list[Frame]:
    """Every place the speaker owns a feeling or a pseudo-feeling, in text order."""
    frames: list[Frame] = []
    for i, norm in enumerate(parsed.norms):
        frame = None
        if norm == "i":
            frame = _frame_after_i(parsed, hits, lex, i)
        elif norm in _MAKE_SUBJECTS:
            frame = _frame_after_makes_me(parsed, hits, lex, i)
        elif norm == "feeling" and i == parsed.sentence_start(i):  # "feeling really low tonight"
            predicates = _predicates(parsed, hits, lex, i + 1)
            frame = Frame(i, predicates) if predicates else None
        if frame is not None and not any(f.end > frame.start for f in frames):
            frames.append(frame)
    return frames
