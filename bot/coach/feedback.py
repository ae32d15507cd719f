"""Short, kind chat text about an assessment. Every sentence comes from data/wording/coach.yml.

`feedback_lines` fills Assessment.feedback; the exercise (bot/coach/exercise.py) calls `explain_original`
(for the sentence the person wants to reword) and `attempt_feedback` (for each practice attempt).
"""

from __future__ import annotations

from typing import Any, Iterable

from bot.coach.lexicon import load as load_lexicon
from bot.coach.model import PARTS, Assessment, Flag
from bot.coach.scoring import severity

# Flags that already tell the person to name a feeling, so "Name how you feel" would repeat them.
_COVERS_FEELING = {"pseudo_feeling", "feel_like_you", "feel_like_thought", "you_make_me"}
MAX_FEEDBACK = 3


def _messages() -> dict[str, Any]:
    return load_lexicon().messages


def _join(items: Iterable[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _by_severity(flags: Iterable[Flag]) -> list[Flag]:
    return sorted(flags, key=lambda f: (severity(f.kind), f.start))


def _step(flag: Flag) -> str:
    template = _messages()["next_steps"][flag.kind]
    return template.format(text=flag.text, underneath=load_lexicon().underneath(flag.text))


def feedback_lines(verdict: str, flags: list[Flag], parts: dict[str, list[str]], complete: bool) -> list[str]:
    """One to three sentences on what to change next, the most important first."""
    messages = _messages()
    if verdict == "unclear":
        return [messages["unclear"]]
    lines: list[str] = []
    if complete:
        lines.append(messages["praise"]["complete_with_request" if parts["request"] else "complete"])
    kinds: list[str] = []
    for flag in _by_severity(flags):
        if flag.kind not in kinds and len(kinds) < 2:
            kinds.append(flag.kind)
            lines.append(_step(flag))
    for part in PARTS:
        if not parts[part] and not (part == "feeling" and _COVERS_FEELING.intersection(kinds)):
            lines.append(messages["missing"][part])
    if verdict == "i_statement" and not complete:
        lines.append(messages["praise"]["started"])
    return lines[:MAX_FEEDBACK]


def _has_and_missing(a: Assessment) -> list[str]:
    attempt, names = _messages()["attempt"], _messages()["part_names"]
    lines = []
    found = [f"{names[p]} ('{a.parts[p][0]}')" for p in PARTS if a.parts[p]]
    if found:
        lines.append(attempt["has"].format(parts=_join(found)))
    if a.missing_parts:
        lines.append(attempt["missing"].format(parts=_join(names[p] for p in a.missing_parts)))
    return lines


def explain_original(a: Assessment) -> list[str]:
    """Messages about the sentence the person wants to reword: what may blame, and the four-part shape."""
    messages = _messages()
    explain = messages["explain"]
    if a.complete:
        lines = [explain["complete"]]
        if not a.parts["request"]:
            lines.append(messages["missing"]["request"])
        return lines
    if a.verdict == "unclear":
        lines = [messages["unclear"]]
    elif a.flags:
        lines = [explain["blame_intro"]] + [f.explanation for f in _by_severity(a.flags)[:3]]
    else:
        lines = [explain["started"]] + _has_and_missing(a)
    return lines + [explain["shape"], explain["example"]]


def _flag_key(flag: Flag) -> tuple[str, str]:
    return flag.kind, flag.text.lower()


def attempt_feedback(a: Assessment, previous: Assessment | None) -> list[str]:
    """Messages about one practice attempt, compared with the person's best attempt so far (if any)."""
    attempt, names = _messages()["attempt"], _messages()["part_names"]
    lines: list[str] = []
    if previous is not None:
        if a.score > previous.score:
            lines.append(attempt["improved"].format(before=previous.score, after=a.score))
            gained = [names[p] for p in PARTS if a.parts[p] and not previous.parts[p]]
            if gained:
                lines.append(attempt["gained"].format(parts=_join(gained)))
            now = {_flag_key(f) for f in a.flags}
            removed = list(dict.fromkeys(f"'{f.text}'" for f in previous.flags if _flag_key(f) not in now))
            if removed:
                lines.append(attempt["removed"].format(text=_join(removed)))
        else:
            key = "same" if a.score == previous.score else "lower"
            lines.append(attempt[key].format(before=previous.score, after=a.score))
    if a.complete and a.parts["request"]:
        return lines + [attempt["complete"]]
    if a.flags:
        lines.append(attempt["still_blames"].format(text=_by_severity(a.flags)[0].explanation))
    return lines + _has_and_missing(a)
