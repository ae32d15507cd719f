"""assess(): read one sentence and say whether it blames, what I-statement parts it has, and how to reword it.

Pipeline (all rule-based, no network, no model):
  1. bot.coach.text.parse       tokens with normalised words, lemmas, sentences and clauses
  2. bot.coach.matching.find    every lexicon phrase found (PhraseMatcher on NORM and LEMMA, token Matcher)
  3. bot.coach.frames           where the speaker owns a feeling ("I feel ...", "I'm ...")
  4. bot.coach.flags            words likely to land as blame
  5. bot.coach.parts            feeling, behaviour, need, request
  6. verdict, score (bot.coach.scoring), feedback (bot.coach.feedback), rewrite (bot.coach.rewrite)

Verdict rules:
  * no flags: "i_statement" if the speaker owns a real feeling, otherwise "unclear";
  * flags, none of them speaker-side (feel_like_you, feel_like_thought, pseudo_feeling,
    judgement_after_feeling): "accusation";
  * speaker-side flags and no accusing ones: "pseudo_i_statement";
  * both: whichever comes first, so "I feel sad because you're selfish" is a pseudo-I-statement and
    "you never call, I feel sad" an accusation.
A real feeling with no behaviour and no need ("I feel sad") counts as an i_statement: it is owned and blames
no one; the feedback asks for the moment and the need.
"""

from __future__ import annotations

from bot.coach.feedback import feedback_lines
from bot.coach.flags import ACCUSING, SPEAKER, RawFlag, find_flags
from bot.coach.frames import Frame, find_frames
from bot.coach.lexicon import Lexicon
from bot.coach.lexicon import load as load_lexicon
from bot.coach.matching import find
from bot.coach.model import Assessment, Flag
from bot.coach.parts import find_parts
from bot.coach.rewrite import suggest
from bot.coach.scoring import score
from bot.coach.text import Parsed, parse


def _verdict(frames: list[Frame], flags: list[RawFlag]) -> str:
    """The verdict rules in the module docstring."""
    if not flags:
        owns_feeling = any(p.kind == "feeling" for f in frames for p in f.predicates)
        return "i_statement" if owns_feeling else "unclear"
    speaker = [f.start for f in flags if f.kind in SPEAKER]
    accusing = [f.start for f in flags if f.kind in ACCUSING]
    if not speaker:
        return "accusation"
    if not accusing:
        return "pseudo_i_statement"
    first_speaker = min(speaker + [f.start for f in frames])
    return "pseudo_i_statement" if first_speaker < min(accusing) else "accusation"


def _flag(parsed: Parsed, raw: RawFlag, lex: Lexicon) -> Flag:
    """A public Flag: character offsets into the original text and a kind explanation."""
    start, end = parsed.chars(raw.start, raw.end)
    text = parsed.text[start:end]
    template = lex.messages["flag_explanations"][raw.kind]
    explanation = template.format(text=text, underneath=lex.underneath(raw.detail or text))
    return Flag(raw.kind, text, start, end, explanation)


def _texts(parsed: Parsed, spans: list[tuple[int, int]]) -> list[str]:
    """The person's own words for each span, without repeats."""
    return list(dict.fromkeys(parsed.span(start, end) for start, end in spans))


def assess(text: str) -> Assessment:
    """Read one message and return the coach's assessment of it."""
    lex = load_lexicon()
    parsed = parse(text)
    hits = find(parsed)
    frames = find_frames(parsed, hits, lex)
    spans = find_parts(parsed, hits, frames, lex)
    raw_flags = find_flags(parsed, hits, frames, spans.request, lex)
    # a named behaviour ("phone", "dishes") only counts in a message that owns a feeling or blames
    behaviour = spans.behaviour or (spans.named_behaviours if frames or raw_flags else [])
    parts = {
        "feeling": _texts(parsed, spans.feeling),
        "behaviour": _texts(parsed, behaviour),
        "need": _texts(parsed, spans.need),
        "request": _texts(parsed, spans.request),
    }
    flags = [_flag(parsed, raw, lex) for raw in raw_flags]
    verdict = _verdict(frames, raw_flags)
    complete = bool(parts["feeling"] and parts["behaviour"] and parts["need"]) and not flags

    def suggestion() -> str | None:
        if verdict in {"accusation", "pseudo_i_statement"}:
            return suggest(parsed, hits, frames, raw_flags, spans, lex)
        return None

    return Assessment(
        text=text,
        verdict=verdict,
        parts=parts,
        flags=flags,
        complete=complete,
        score=score([p for p, words in parts.items() if words], [f.kind for f in flags]),
        feedback=feedback_lines(verdict, flags, parts, complete),
        build_suggestion=suggestion,
    )
