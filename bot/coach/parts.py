"""Find the four parts of an I-statement: feeling, behaviour (or situation), need and request.

  feeling    real feelings in the speaker's frames (bot.coach.frames); pseudo-feelings are flagged instead.
  behaviour  the clause a situation word opens after a feeling ("... when we don't talk during the day") or
             before it ("When you left, I felt ..."); failing that, and only in a message that owns a feeling
             or blames (bot.coach.engine decides), behaviours.yml phrases anywhere ("you never text me").
  need       needs.yml phrasings after "I need", "I value", "I'd like to feel", or before "... matters to me";
             if "I need ..." holds none of them, the words after it.
  request    a request opener (request_openers.yml) at the start of a clause, to the end of its sentence.
Spans are token ranges; the engine turns them into the person's own words.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.coach.flags import NEGATIONS, clause_starts, skip_fillers
from bot.coach.frames import Frame, skip_intensifiers
from bot.coach.lexicon import Lexicon
from bot.coach.matching import Hit, Hits
from bot.coach.text import SUBJECT_WORDS, Parsed

_STOP_BEFORE = {"and", "but", "so"}
_PRONOUNS_ALONE = {"you", "me", "him", "her", "them", "us", "it", "that", "this"}


@dataclass(frozen=True)
class Situation:
    """A behaviour or situation clause and the word that opened it ("when", "because", "since"...)."""

    opener: str
    opener_start: int
    start: int
    end: int

    @property
    def is_clause(self) -> bool:
        """True when opened by a clause word, so "when ..." can introduce it in a rewrite."""
        return self.opener in {
            "when", "whenever", "because", "that", "since", "if", "while", "every time", "each time",
        }


@dataclass(frozen=True)
class PartSpans:
    """Token spans for each part, plus the situations behind "behaviour" (the rewrite reuses clean ones)."""

    feeling: list[tuple[int, int]]
    behaviour: list[tuple[int, int]]  # situation clauses
    named_behaviours: list[tuple[int, int]]  # behaviours.yml phrases, the behaviour when no clause names one
    need: list[tuple[int, int]]
    need_from_lexicon: bool
    request: list[tuple[int, int]]
    situations: list[Situation]


def _need_trigger_at(parsed: Parsed, hits: Hits, i: int) -> int | None:
    """If tokens from i say "I (really) need / value / want to feel", the index where the need begins."""
    if i >= len(parsed) or parsed.norms[i] != "i":
        return None
    j = skip_intensifiers(parsed, hits, i + 1)
    verb = hits.at("need_verb", j)
    if verb is not None:
        return verb.end
    wish = hits.at("need_wish", j)
    if wish is not None:
        words = parsed.norms[wish.start : wish.end]
        return wish.start + max(k for k, w in enumerate(words) if w == "to")
    return None


def _stops_clause(parsed: Parsed, hits: Hits, k: int, start: int) -> bool:
    """Does token k end a behaviour or need clause that began at `start`?"""
    norm = parsed.norms[k]
    nxt = parsed.norms[k + 1] if k + 1 < len(parsed) else ""
    if k > start and (norm == "because" or hits.at("request", k) or _need_trigger_at(parsed, hits, k)):
        return True
    if norm in {",", ";"}:
        return (
            nxt in {"because", "and", "but", "so", "i", "please"}
            or hits.at("request", k + 1) is not None
            or _need_trigger_at(parsed, hits, k + 1) is not None
        )
    return norm in _STOP_BEFORE and nxt in {"i", "it"}


def _clause_from(parsed: Parsed, hits: Hits, start: int) -> tuple[int, int] | None:
    """Tokens from `start` to the end of the clause; None when nothing but a pronoun is there."""
    end = parsed.sentence_end(start) if start < len(parsed) else start
    k = start
    while k < end and not _stops_clause(parsed, hits, k, start):
        k += 1
    while k > start and parsed.is_punct(k - 1):
        k -= 1
    return (start, k) if _says_something(parsed, start, k) else None


def _says_something(parsed: Parsed, start: int, end: int) -> bool:
    """More than punctuation or a lone pronoun ("when you," names no behaviour yet)."""
    words = [n for n in parsed.norms[start:end] if n.isalnum() or "'" in n]
    return bool(words) and not (len(words) == 1 and words[0] in _PRONOUNS_ALONE)


def _situations(parsed: Parsed, hits: Hits, frames: list[Frame]) -> list[Situation]:
    """Situation clauses after a feeling ("... when we fight") or opening a sentence ("When you left,")."""
    found: list[Situation] = []
    for frame in frames:
        j = frame.end
        while j < len(parsed) and parsed.norms[j] == ",":
            j += 1
        opener = hits.at("situation", j)
        if opener is None or _need_trigger_at(parsed, hits, opener.end) is not None:
            continue
        span = _clause_from(parsed, hits, opener.end)
        if span:
            found.append(Situation(" ".join(parsed.norms[opener.start : opener.end]), opener.start, *span))
    frame_starts = {f.start for f in frames}
    for start in sorted(set(parsed.clause_start)):
        if start != parsed.sentence_start(start):
            continue
        opener = hits.at("leading_situation", skip_fillers(parsed, hits, start))
        if opener is None:
            continue
        k = opener.end
        end = parsed.sentence_end(start)
        while k < end and parsed.norms[k] != "," and k not in frame_starts:
            k += 1
        if _says_something(parsed, opener.end, k):
            found.append(
                Situation(" ".join(parsed.norms[opener.start : opener.end]), opener.start, opener.end, k)
            )
    return found


def _needs(parsed: Parsed, hits: Hits) -> tuple[list[tuple[int, int]], bool]:
    """Need spans and whether all of them came from needs.yml."""
    phrases = hits.longest("need")
    spans: list[tuple[int, int]] = []
    from_lexicon = True
    clauses = [
        _clause_from(parsed, hits, begin)
        for i in range(len(parsed))
        if (begin := _need_trigger_at(parsed, hits, i)) is not None
    ]
    clauses += [
        (parsed.clause_start[h.start], h.start)
        for h in hits.all("need_after")
        if h.start > parsed.clause_start[h.start]
    ]
    for clause in filter(None, clauses):
        inside = [(h.start, h.end) for h in phrases if clause[0] <= h.start and h.end <= clause[1]]
        if inside:
            spans += inside
        else:
            spans.append(clause)
            from_lexicon = False
    return spans, from_lexicon and bool(spans)


def _requests(parsed: Parsed, hits: Hits) -> list[tuple[int, int]]:
    """At most one request per sentence: from a clause-opening request opener to the end of the sentence."""
    spans: list[tuple[int, int]] = []
    sentences_done: set[int] = set()
    for start in clause_starts(parsed):
        j = skip_fillers(parsed, hits, start)
        opener = hits.at("request", j) or hits.at("request", start)
        if opener is None or parsed.sentence[start] in sentences_done:
            continue
        if _need_trigger_at(parsed, hits, opener.start) is not None:  # "I'd like to feel closer" is a need
            continue
        end = parsed.sentence_end(opener.start)
        if end > opener.start:
            spans.append((opener.start, end))
            sentences_done.add(parsed.sentence[start])
    return spans


def _negated(parsed: Parsed, i: int) -> bool:
    """Is there a negation before token i in its clause ("you never call", "why can't you text back")?"""
    return bool(NEGATIONS.intersection(parsed.norms[parsed.clause_start[i] : i]))


def behaviour_hits(parsed: Parsed, hits: Hits, frames: list[Frame], lex: Lexicon) -> list[Hit]:
    """behaviours.yml matches that fit: polarity agrees ("thanks" is not "you never thank me"), and the words
    are not inside a label, sarcasm, "you make me/drive me" or the speaker's own (pseudo-)feeling ("like a
    child" is not about kids, "you drive me crazy" not about driving, and in "I feel ignored" the behaviour is
    not named yet). Overlapping matches are all kept."""
    blocked = {
        k
        for category in ("label", "sarcasm", "you_make_me")
        for h in hits.all(category)
        for k in range(h.start, h.end)
    }
    blocked.update(k for f in frames for p in f.predicates for k in range(p.start, p.end))
    fitting = []
    for hit in hits.all("behaviour"):
        polarity = lex.behaviour(hit.entry).polarity
        is_negated = _negated(parsed, hit.start)
        if (
            blocked.intersection(range(hit.start, hit.end))
            or (polarity == "negative" and not is_negated)
            or (polarity == "positive" and is_negated)
        ):
            continue
        fitting.append(hit)
    return fitting


def _without_overlaps(found: list[Hit]) -> list[Hit]:
    """Longest first, then earliest; drop hits overlapping one already kept."""
    kept: list[Hit] = []
    for hit in sorted(found, key=lambda h: (-(h.end - h.start), h.start)):
        if not any(k.start < hit.end and hit.start < k.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


def find_parts(parsed: Parsed, hits: Hits, frames: list[Frame], lex: Lexicon) -> PartSpans:
    """All four parts of the text."""
    feelings = [(p.start, p.end) for f in frames for p in f.predicates if p.kind == "feeling"]
    situations = _situations(parsed, hits, frames)
    named = [(h.start, h.end) for h in _without_overlaps(behaviour_hits(parsed, hits, frames, lex))]
    need, need_from_lexicon = _needs(parsed, hits)
    return PartSpans(
        feelings,
        [(s.start, s.end) for s in situations],
        named,
        need,
        need_from_lexicon,
        _requests(parsed, hits),
        situations,
    )


def has_subject(parsed: Parsed, start: int, end: int) -> bool:
    """Whether tokens start..end-1 contain a subject-like word (a clause, not just "about money")."""
    return any(n in SUBJECT_WORDS for n in parsed.norms[start:end])
