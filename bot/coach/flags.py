"""Token-level rules that find words likely to land as blame.

Each rule returns `RawFlag`s (token spans); bot.coach.engine turns them into `Flag`s with character offsets
and explanations. Without a parser, "who is this about?" is answered by the nearest subject word before a cue
in the same clause: "I always feel nervous" is the speaker about themselves, "you always" is the partner.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.coach.frames import Frame, skip_intensifiers
from bot.coach.lexicon import Lexicon
from bot.coach.matching import Hits
from bot.coach.text import Parsed

# Flags that blame the partner directly, and flags that start from "I" but still judge.
ACCUSING = (
    "label", "blame", "you_make_me", "sarcasm", "command", "why_question", "absolute", "you_statement",
)
SPEAKER = ("feel_like_you", "feel_like_thought", "pseudo_feeling", "judgement_after_feeling")

PARTNER = {"you", "your", "yourself", "he", "she", "they", "his", "her", "their", "him", "them"}
_SUBJECTS = {"i", "you", "your", "he", "she", "they", "we", "it", "this", "that", "there", "people"}
NEGATIONS = {"not", "never", "no", "nobody", "without", "hardly", "barely", "rarely"}
# Verbs that join a subject to a label: "you ARE lazy", "he's ACTING crazy", "you GET so defensive".
_LABEL_LINKS = {
    "are", "is", "was", "were", "be", "been", "being", "am", "act", "acting", "acted", "sound", "sounding",
    "sounds", "seem", "seems", "seemed", "look", "looks", "looking", "become", "becoming", "became", "behave",
    "behaving", "get", "getting", "gets", "got", "play", "playing",
}
_ARTICLES = {"a", "an", "the", "not", "this"}
# "such a liar", "what a jerk", "total loser": aimed at someone even with no subject.
_EMPHASIS = {"such", "what", "total", "typical", "complete", "absolute", "real"}
_COORDINATORS = {"and", "but", "so", "or", "then", "plus", "yet"}
_FEEL_FORMS = {"feel", "felt", "feeling", "feels"}
_FEEL_OWNERS = {"i", "it", "this"}
_AFTER_LIKE_SKIP = {"maybe", "sometimes", "lately", "honestly", "just", ","}
_NOT_A_THOUGHT = {"that", "this", "it", "way", "crap", "shit"}


@dataclass(frozen=True)
class RawFlag:
    """A flag over tokens start..end-1; `detail`: the pseudo-feeling entry or the absolutes list matched."""

    kind: str
    start: int
    end: int
    detail: str = ""


def nearest_subject(parsed: Parsed, i: int) -> str | None:
    """The closest subject-like word before token i in its clause ("you" in "you never call")."""
    for j in range(i - 1, parsed.clause_start[i] - 1, -1):
        if parsed.norms[j] in _SUBJECTS:
            return parsed.norms[j]
    return None


def clause_starts(parsed: Parsed) -> list[int]:
    """First token of every clause that can stand alone: not one opened by "when", "because"..., nor one
    joined by "and"/"but" without a comma to such a clause ("when I talk and you're on your phone")."""
    starts, previous_open = [], True
    for start in sorted(set(parsed.clause_start)):
        opener = parsed.opener[start]
        if opener == "start":
            is_open = True
        elif opener in _COORDINATORS:
            after_comma = start > 0 and parsed.doc[start - 1].text == ","
            is_open = after_comma or previous_open
        else:
            is_open = opener == ","
        if is_open:
            starts.append(start)
        previous_open = is_open
    return starts


def skip_fillers(parsed: Parsed, hits: Hits, i: int, keep: frozenset[str] = frozenset()) -> int:
    """Skip "so", "ok", "honestly" ... at a clause start, except words in `keep`."""
    while i < len(parsed):
        hit = hits.at("filler", i)
        if hit is None or parsed.norms[i] in keep:
            return i
        i = hit.end
    return i


def _absolutes(parsed: Parsed, hits: Hits, requests: list[tuple[int, int]]) -> list[RawFlag]:
    """Absolutes about someone other than the speaker, outside requests ("could we talk every night?")."""
    in_request = {k for start, end in requests for k in range(start, end)}
    found = []
    for hit in hits.all("always_never"):
        if nearest_subject(parsed, hit.start) != "i" and hit.start not in in_request:
            found.append(RawFlag("absolute", hit.start, hit.end, "always_never"))
    for hit in hits.all("quantifier"):
        if nearest_subject(parsed, hit.start) in PARTNER:
            found.append(RawFlag("absolute", hit.start, hit.end, "quantifier"))
    for hit in hits.all("after_negation"):
        before = parsed.norms[parsed.clause_start[hit.start] : hit.start]
        if NEGATIONS.intersection(before) and nearest_subject(parsed, hit.start) != "i":
            found.append(RawFlag("absolute", hit.start, hit.end, "after_negation"))
    return _longest(found)


def _walk_back(parsed: Parsed, hits: Hits, j: int) -> tuple[int, list[str]]:
    """From token j leftwards past intensifiers and articles: (landing index, skipped words)."""
    skipped: list[str] = []
    while j >= 0 and not parsed.is_punct(j):
        hit = hits.ending("intensifier", j + 1)
        if hit is not None:
            skipped.extend(parsed.norms[hit.start : hit.end])
            j = hit.start - 1
        elif parsed.norms[j] in _ARTICLES:
            skipped.append(parsed.norms[j])
            j -= 1
        else:
            break
    return j, skipped


def _aimed_at_partner(parsed: Parsed, hits: Hits, start: int) -> bool:
    """Is the label at `start` said of the partner ("you're so lazy", "ur a slob", "he's controlling")?"""
    j, skipped = _walk_back(parsed, hits, start - 1)
    emphatic = bool(_EMPHASIS.intersection(skipped))
    if j < 0 or parsed.is_punct(j):
        first, last = parsed.sentence_start(start), parsed.sentence_end(start)
        return emphatic or (start == first and last - first <= 4)  # a label said on its own: "liar."
    norm = parsed.norms[j]
    if norm == "you":
        return True
    if norm == "your":  # "your so selfish", "ur lazy": a you're typo, not a possessive
        return bool(skipped) or parsed.doc[j].lower_ == "ur"
    if norm in _LABEL_LINKS:
        k, _ = _walk_back(parsed, hits, j - 1)
        return k >= 0 and parsed.norms[k] in {"you", "he", "she", "they", "your"}
    return emphatic and nearest_subject(parsed, start) not in {"i", "we"}


def _labels(parsed: Parsed, hits: Hits) -> list[RawFlag]:
    """Labels aimed at the partner; phrases ("like a child") wherever the speaker is not the subject."""
    found = []
    for hit in hits.longest("label"):
        several_words = hit.end - hit.start > 1
        if _aimed_at_partner(parsed, hits, hit.start) or (
            several_words and nearest_subject(parsed, hit.start) in PARTNER | {None}
        ):
            found.append(RawFlag("label", hit.start, hit.end))
    return found


def _why_questions(parsed: Parsed, hits: Hits) -> list[RawFlag]:
    """Rhetorical questions (lexicon), and clauses opening "why"/"how come" that point at the partner."""
    found = [RawFlag("why_question", h.start, h.end) for h in hits.longest("rhetorical")]
    for start in clause_starts(parsed):
        j = skip_fillers(parsed, hits, start)
        if j >= len(parsed):
            continue
        if parsed.norms[j] == "why" or parsed.norms[j : j + 2] == ("how", "come"):
            for k in range(j + 1, min(j + 7, parsed.sentence_end(j))):
                if parsed.norms[k] == "i":
                    break
                if parsed.norms[k] in {"you", "your", "he", "she", "they"}:
                    found.append(RawFlag("why_question", j, k + 1))
                    break
    return found


def _is_command_at(parsed: Parsed, hits: Hits, lex: Lexicon, j: int) -> bool:
    """Does an order start at token j: "stop ...", "shut up", "you need to ...", "don't lie to me"?"""
    if hits.at("command_phrase", j) or hits.at("command_modal", j):
        return True
    nxt = parsed.norms[j + 1] if j + 1 < len(parsed) else ""
    if parsed.norms[j] in lex.cues["command_verbs"]:
        return nxt not in {"", ",", "you", "i", "we"}  # "listen, I feel ..." is no order
    return (
        parsed.doc[j].lower_ == "do"  # the typed word: spaCy's norm of "did" is "do" too
        and nxt == "not"
        and j + 2 < len(parsed)
        and parsed.norms[j + 2] in lex.cues["command_after_dont"]
    )


def _commands(parsed: Parsed, hits: Hits, lex: Lexicon) -> list[RawFlag]:
    """Orders at the start of a clause, after fillers and "just"/"please" ("just listen for once")."""
    found = []
    for start in clause_starts(parsed):
        first = skip_fillers(parsed, hits, start, keep=frozenset(lex.cues["command_verbs"]))
        j = first
        while j < len(parsed) and parsed.norms[j] in {"just", "please", "now"}:
            j += 1
        if j < len(parsed) and _is_command_at(parsed, hits, lex, j):
            found.append(RawFlag("command", first, parsed.clause_end[j]))
    return found


def _feel_like(parsed: Parsed, hits: Hits, links: set[str]) -> list[RawFlag]:
    """ "I feel like you...", "I feel you're...", "it feels like you...": a judgement after "I feel"."""
    found = []
    n = len(parsed)
    for i in range(n):
        if parsed.lemmas[i] != "feel" or parsed.norms[i] not in _FEEL_FORMS:
            continue
        k = i - 1
        while k >= 0 and (parsed.norms[k] in links or hits.ending("intensifier", k + 1)):
            k -= 1
        owner_is_speaker = k >= 0 and parsed.norms[k] in _FEEL_OWNERS
        if not owner_is_speaker and k >= parsed.sentence_start(i):
            continue  # "to feel like", "made me feel like", "do you feel like"
        start = k if owner_is_speaker else i
        m = i + 1
        if m >= n:
            continue
        if parsed.norms[m] in {"like", "that"}:
            after = m + 1
        elif parsed.norms[m] == "as" and m + 1 < n and parsed.norms[m + 1] in {"if", "though"}:
            after = m + 2
        elif parsed.norms[m] in {"you", "he", "she", "they"} and m + 1 < n and not parsed.is_punct(m + 1):
            found.append(RawFlag("feel_like_you", start, m + 1))
            continue
        else:
            continue
        t = skip_intensifiers(parsed, hits, after)
        while t < n and parsed.norms[t] in _AFTER_LIKE_SKIP:
            t = skip_intensifiers(parsed, hits, t + 1)
        if t >= n or parsed.is_punct(t):
            continue
        if parsed.norms[t] in PARTNER:
            found.append(RawFlag("feel_like_you", start, t + 1))
        elif not (
            parsed.norms[t] in _NOT_A_THOUGHT
            or hits.at("feeling", t)
            or (parsed.norms[t].endswith("ing") and parsed.lemmas[t] != parsed.norms[t])
        ):  # "like crying"
            found.append(RawFlag("feel_like_thought", start, after))
    return found


def _you_statements(parsed: Parsed, hits: Hits, lex: Lexicon, flagged: list[RawFlag]) -> list[RawFlag]:
    """A clause that opens with "you" + a verb ("you didn't call me"), when nothing else in it is flagged."""
    not_subjects = set(lex.language["not_subjects"])
    found = []
    for start in clause_starts(parsed):
        j = skip_fillers(parsed, hits, start)
        if j + 1 >= len(parsed) or parsed.norms[j] != "you":
            continue
        if parsed.is_punct(j + 1) or parsed.norms[j + 1] in not_subjects:
            continue
        end = parsed.clause_end[j]
        if not any(f.start < end and f.end > start for f in flagged):
            found.append(RawFlag("you_statement", j, end))
    return found


def _judgements_after_feeling(parsed: Parsed, frames: list[Frame], flagged: list[RawFlag]) -> list[RawFlag]:
    """A real feeling, then blame: "I feel sad because you're selfish" flags "because you're selfish"."""
    feeling_ends = [p.end for f in frames for p in f.predicates if p.kind == "feeling"]
    if not feeling_ends:
        return []
    first_end = min(feeling_ends)
    found, seen = [], set()
    for flag in sorted(flagged, key=lambda f: f.start):
        clause = parsed.clause_start[flag.start]
        if flag.kind in ACCUSING and flag.start >= first_end and clause not in seen:
            seen.add(clause)
            found.append(
                RawFlag("judgement_after_feeling", max(clause, first_end), parsed.clause_end[flag.start])
            )
    return found


def _longest(flags: list[RawFlag]) -> list[RawFlag]:
    """Drop flags of the same kind nested inside a longer one ("ever" inside "never ever")."""
    kept: list[RawFlag] = []
    for flag in sorted(flags, key=lambda f: (-(f.end - f.start), f.start)):
        if not any(k.kind == flag.kind and k.start <= flag.start and flag.end <= k.end for k in kept):
            kept.append(flag)
    return kept


def _warm_clauses(parsed: Parsed, hits: Hits, lex: Lexicon) -> set[int]:
    """Clauses (by start token) appreciating the partner: "you always make me laugh", "you make me happy"."""
    warm = {parsed.clause_start[h.start] for h in hits.all("warm")}
    met = set(lex.feelings_met_words)
    for hit in hits.all("you_make_me"):
        j = skip_intensifiers(parsed, hits, hit.end)
        if j < len(parsed) and parsed.lemmas[j] == "feel":
            j = skip_intensifiers(parsed, hits, j + 1)
        feeling = hits.at("feeling", j)
        if feeling is not None and feeling.entry in met:
            warm.add(parsed.clause_start[hit.start])
    return warm


def find_flags(
    parsed: Parsed, hits: Hits, frames: list[Frame], requests: list[tuple[int, int]], lex: Lexicon
) -> list[RawFlag]:
    """Every flag in the text, ordered by position. `requests` are the request spans (bot.coach.parts)."""
    warm = _warm_clauses(parsed, hits, lex)
    flagged = [f for f in _absolutes(parsed, hits, requests) if parsed.clause_start[f.start] not in warm]
    flagged += _labels(parsed, hits) + _why_questions(parsed, hits) + _commands(parsed, hits, lex)
    flagged += [RawFlag("sarcasm", h.start, h.end) for h in hits.longest("sarcasm")]
    flagged += [RawFlag("blame", h.start, h.end) for h in hits.longest("blame")]
    flagged += [
        RawFlag("you_make_me", h.start, h.end)
        for h in hits.longest("you_make_me")
        if parsed.clause_start[h.start] not in warm
    ]
    flagged += _feel_like(parsed, hits, set(lex.language["speaker_links"]))
    flagged += [
        RawFlag("pseudo_feeling", p.start, p.end, p.entry)
        for f in frames
        for p in f.predicates
        if p.kind == "pseudo"
    ]
    flagged = _longest(flagged)
    flagged += [
        f for f in _you_statements(parsed, hits, lex, flagged) if parsed.clause_start[f.start] not in warm
    ]
    flagged += _judgements_after_feeling(parsed, frames, flagged)
    return sorted(flagged, key=lambda f: (f.start, f.end))
