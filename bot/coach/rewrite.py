"""A rewrite that starts from the speaker: "I feel <feeling> <when ...> because I need <need>. <Request>?"

Every piece prefers the person's own words and falls back step by step:
  feeling      their real feeling (also from "you make me so angry"); else the feelings under their
               pseudo-feeling (abandoned -> lonely and scared); else the likely feeling of the behaviour
               they named; else a gentle default.
  observation  their own "when/because/since ..." clause if nothing in it blames; else their whole message
               when it is one plain you-statement reporting an event ("you didn't call me last night" ->
               "when you didn't call me last night"); else the neutral observation from behaviours.yml (a
               behaviour before a topic); else their clause with absolutes taken out ("you always X" ->
               "when you X", "you never X" -> "when you don't X"); else a default.
  need         their need; else the need under the pseudo-feeling or behaviour; else a default.
  request      their request; else the behaviour's; else a default.
A final check re-reads the rewrite and swaps any piece that would still contain an absolute, a label or a
pseudo-feeling for its default, so the rewrite never repeats the blame.
"""

from __future__ import annotations

from bot.coach.flags import ACCUSING, RawFlag
from bot.coach.frames import Frame, skip_intensifiers
from bot.coach.lexicon import Behaviour, Lexicon
from bot.coach.lexicon import load as load_lexicon
from bot.coach.matching import Hits, find
from bot.coach.parts import PartSpans, behaviour_hits, has_subject
from bot.coach.text import Parsed, parse

_UNCLEAN = ("always_never", "quantifier", "label", "pseudo")
_DROP = {"even", "just", "literally", "seriously", "really", "ever", "again"}
# "you didn't ...", "you were at the bar", "you keep leaving ...": the clause reports something that happened.
_EVENT_AUXILIARIES = {"did", "was", "were", "keep", "kept"}
# "you haven't done ...", "you've left ...": an event only when a negation or a participle follows.
_PERFECT = {"have", "has", "had"}
# "he never listens" is said to the partner in the rewrite: "you don't listen".
_THIRD_PERSON = {
    "he": "you", "she": "you", "him": "you", "his": "your", "they": "you", "them": "you", "their": "your",
}
_AGREE = {"is": "are", "was": "were", "has": "have", "does": "do", "'s": "'re"}
_SUBJECTS_OUT = {"you", "we", "i", "they"}
_QUESTION_OPENERS = {
    "could", "can", "would", "will", "shall", "is", "are", "do", "how", "what", "next", "maybe", "perhaps",
    "please", "from", "going",
}


def is_clean(text: str) -> bool:
    """True when `text` holds no absolute, label or pseudo-feeling, in any position."""
    hits = find(parse(text))
    return not any(hits.all(category) for category in _UNCLEAN)


def best_behaviour(parsed: Parsed, hits: Hits, frames: list[Frame], lex: Lexicon) -> Behaviour | None:
    """The behaviours.yml entry that fits best: something done before a mere topic, then the longest phrase,
    then the earliest, then the first listed."""
    fitting = [
        (not lex.behaviour(h.entry).topic, h.end - h.start, -h.start, -int(h.entry.split(":")[1]), h.entry)
        for h in behaviour_hits(parsed, hits, frames, lex)
    ]
    return lex.behaviour(max(fitting)[-1]) if fitting else None


def _reports_an_event(parsed: Parsed, start: int, end: int) -> bool:
    """Does a "you ..." clause report something that happened ("you didn't call", "you spent", "you keep
    leaving") rather than a standing verdict ("you owe me an apology")? Only then is it reused."""
    for k in range(start + 1, end):
        norm, lemma = parsed.norms[k], parsed.lemmas[k]
        if norm in _DROP or parsed.doc[k].is_punct:
            continue
        if parsed.doc[k].lower_ in _EVENT_AUXILIARIES:  # the typed word: spaCy's norm of "did" is "do"
            return True
        if norm in _PERFECT:
            nxt = k + 1 < end and (
                parsed.norms[k + 1] == "not" or parsed.lemmas[k + 1] != parsed.norms[k + 1]
            )
            return bool(nxt)
        return lemma != norm and norm not in {"are", "is", "am"} and not norm.endswith(("s", "ing"))
    return False


def _display(parsed: Parsed, k: int) -> str:
    """How token k is written in a rewrite: texting spellings spelled out ("u" -> "you", "im" -> "I'm")."""
    token, norm = parsed.doc[k], parsed.norms[k]
    if norm == "i":
        return "I"
    if token.lower_ in {"m", "nt", "re", "ve", "ll", "d", "s"}:  # the second half of "im", "dont", "youre"...
        return "'" + token.lower_ if token.lower_ != "nt" else "n't"
    return norm if token.lower_ in load_lexicon().language["spellings"] else token.text


def _words(parsed: Parsed, indices: list[int]) -> str:
    """The chosen tokens as text addressed to the partner: "he never listens" -> "you don't listen".

    Fillers ("just", "even") are dropped, third-person pronouns become "you"/"your" with the verb agreeing,
    and "never" becomes "don't" (or "not" after a verb), putting the next verb in its base form.
    """
    out: list[str] = []
    fix_verb = False
    for position, k in enumerate(indices):
        token, norm = parsed.doc[k], parsed.norms[k]
        if norm in _DROP or (parsed.is_punct(k) and position == len(indices) - 1):
            continue
        word = _display(parsed, k)
        if norm == "never":
            word, fix_verb = (
                ("don't", True) if out and out[-1].strip().lower() in _SUBJECTS_OUT else ("not", False)
            )
        elif norm in _THIRD_PERSON and token.lower_ == norm:
            word, fix_verb = _THIRD_PERSON[norm], norm in {"he", "she"}
        elif fix_verb and (token.is_alpha or norm in _AGREE):
            word, fix_verb = _AGREE.get(norm, parsed.lemmas[k]), False
        out.append(word + (token.whitespace_ or ""))
    text = " ".join("".join(out).split())
    return text if text.startswith("I ") else text[:1].lower() + text[1:]


def _made_to_feel(parsed: Parsed, hits: Hits) -> list[str]:
    """Feelings named after "you make me (feel) ...": the speaker's own, once the blame is taken out."""
    found = []
    for hit in hits.all("you_make_me"):
        j = skip_intensifiers(parsed, hits, hit.end)
        if j < len(parsed) and parsed.lemmas[j] == "feel":
            j = skip_intensifiers(parsed, hits, j + 1)
        feeling = hits.at("feeling", j)
        if feeling is not None:
            found.append(feeling.entry)
    return found


def _feeling(
    parsed: Parsed, hits: Hits, frames: list[Frame], lex: Lexicon, behaviour: Behaviour | None
) -> str:
    """One or two feeling words: theirs, else those under their pseudo-feeling, the behaviour's, a default."""
    predicates = [p for f in frames for p in f.predicates]
    real = [p.entry for p in predicates if p.kind == "feeling" and p.entry not in lex.feeling_verbs]
    real += _made_to_feel(parsed, hits)
    pseudo = [p.entry for p in predicates if p.kind == "pseudo"]
    if real:
        words = real
    elif pseudo:
        words = list(lex.pseudo[pseudo[0]].feelings)
    elif behaviour is not None:
        words = [behaviour.feeling]
    else:
        words = [lex.messages["rewrite_defaults"]["feeling"]]
    return " and ".join(dict.fromkeys(words[:2]))


def _guesses_or_judges(parsed: Parsed, hits: Hits, lex: Lexicon, start: int, end: int) -> bool:
    """A verdict verb ("lied") or a guess about their inside ("you don't trust me"): not an observation."""
    if set(lex.language["inner_states"]).intersection(parsed.lemmas[start:end]):
        return True
    inside = [h for h in hits.all("behaviour") if start <= h.start and h.end <= end]
    return any(lex.behaviour(h.entry).evaluative for h in inside)


def _own_situation(
    parsed: Parsed, hits: Hits, flags: list[RawFlag], spans: PartSpans, lex: Lexicon
) -> str | None:
    """Their own "when/because/since ..." clause, if it is a clean observation ("when you go on trips")."""
    flagged = {k for f in flags for k in range(f.start, f.end)}
    for s in spans.situations:
        if (
            s.is_clause
            and has_subject(parsed, s.start, s.end)
            and not flagged.intersection(range(s.opener_start, s.end))
            and not _guesses_or_judges(parsed, hits, lex, s.start, s.end)
        ):
            lead = "since" if s.opener == "since" else "when"
            candidate = f"{lead} {_words(parsed, list(range(s.start, s.end)))}"
            if is_clean(candidate):
                return candidate
    return None


def _own_event(parsed: Parsed, hits: Hits, flags: list[RawFlag], lex: Lexicon) -> str | None:
    """Their whole message, when it is one plain you-statement about an event ("you didn't call me")."""
    if len(flags) != 1 or flags[0].kind != "you_statement":
        return None
    start, end = flags[0].start, flags[0].end
    if _guesses_or_judges(parsed, hits, lex, start, end) or not _reports_an_event(parsed, start, end):
        return None
    candidate = f"when {_words(parsed, list(range(start, end)))}"
    return candidate if is_clean(candidate) else None


def _without_absolutes(parsed: Parsed, flags: list[RawFlag]) -> str | None:
    """ "you always X" -> "when you X", "he never X" -> "when you don't X", when nothing else blames.

    Only adverbs ("always", "never") can be lifted out; "you twist everything I say" needs its "everything".
    """
    absolutes = [f for f in flags if f.kind == "absolute"]
    accusing = {f.kind for f in flags if f.kind in ACCUSING}
    if not absolutes or not accusing <= {"absolute", "you_statement"}:
        return None
    if any(f.detail != "always_never" for f in absolutes):
        return None
    first = absolutes[0].start
    clause_start = parsed.clause_start[first]
    subjects = [k for k in range(clause_start, first) if parsed.norms[k] in {"you", "he", "she", "they"}]
    if not subjects:
        return None
    flagged = {k for f in absolutes for k in range(f.start, f.end)}
    clause = range(subjects[-1], parsed.clause_end[first])
    kept = [k for k in clause if k not in flagged or parsed.norms[k] == "never"]
    candidate = "when " + _words(parsed, kept)
    return candidate if len(kept) > 1 and is_clean(candidate) else None


def _observation(
    parsed: Parsed,
    hits: Hits,
    flags: list[RawFlag],
    spans: PartSpans,
    behaviour: Behaviour | None,
    lex: Lexicon,
) -> str | None:
    """The "when ..." part, from the person's own words when they observe, else from the lexicon."""
    return (
        _own_situation(parsed, hits, flags, spans, lex)
        or _own_event(parsed, hits, flags, lex)
        or (behaviour.observation if behaviour is not None else None)
        or _without_absolutes(parsed, flags)
    )


def _need(
    parsed: Parsed, frames: list[Frame], spans: PartSpans, behaviour: Behaviour | None, lex: Lexicon
) -> str | None:
    """Their need (not "you to ..." in other words), else the need under the pseudo-feeling or behaviour."""
    if spans.need:
        text = parsed.span(*spans.need[0])
        if (spans.need_from_lexicon or not text.lower().startswith(("you ", "u "))) and is_clean(text):
            return text
    pseudo = [p.entry for f in frames for p in f.predicates if p.kind == "pseudo"]
    if pseudo:
        return lex.pseudo[pseudo[0]].need
    return behaviour.need if behaviour is not None else None


def _request(
    parsed: Parsed, flags: list[RawFlag], spans: PartSpans, behaviour: Behaviour | None
) -> str | None:
    """Their own request if nothing in it blames, else the behaviour's request."""
    for start, end in spans.request:
        if not any(f.start < end and f.end > start for f in flags):
            text = parsed.span(start, end)
            if is_clean(text):
                return text
    return behaviour.request if behaviour is not None else None


def as_request(text: str) -> str:
    """ "could we text at lunch" -> "Could we text at lunch?"; "let's plan a date" -> "Let's plan a date." """
    text = text.strip().rstrip(".!?,;: ")
    first = text.split(" ", 1)[0].lower()
    return text[:1].upper() + text[1:] + ("?" if first in _QUESTION_OPENERS else ".")


def suggest(
    parsed: Parsed, hits: Hits, frames: list[Frame], flags: list[RawFlag], spans: PartSpans, lex: Lexicon
) -> str:
    """A rewrite of the person's sentence that owns the feeling and describes instead of judging."""
    defaults = lex.messages["rewrite_defaults"]
    behaviour = best_behaviour(parsed, hits, frames, lex)
    feeling = _feeling(parsed, hits, frames, lex, behaviour)
    pieces = {
        "observation": _observation(parsed, hits, flags, spans, behaviour, lex) or defaults["observation"],
        "need": _need(parsed, frames, spans, behaviour, lex) or defaults["need"],
        "request": _request(parsed, flags, spans, behaviour) or defaults["request"],
    }
    for fallback in (None, "observation", "need", "request"):
        if fallback is not None:
            pieces[fallback] = defaults[fallback]
        sentence = (
            f"I feel {feeling} {pieces['observation']} because I need {pieces['need']}. "
            f"{as_request(pieces['request'])}"
        )
        if is_clean(sentence):
            return sentence
    return sentence
