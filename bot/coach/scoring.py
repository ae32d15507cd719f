"""The 0-100 score: points for each part of an I-statement, minus a deduction for each flag, clamped.

    part        points      flag kind                 deduction
    feeling       30        label, blame                  30
    behaviour     25        you_make_me, sarcasm,
    need          25          command, feel_like_you      25
    request       20        why_question, absolute,
                              pseudo_feeling              20
                            judgement_after_feeling,
                              feel_like_thought,
                              you_statement               15

A complete I-statement with a request scores 100. The same idea said "I feel like you..." loses its feeling
points and 25 more; an accusation has no feeling, need or request and loses points for every flag, so it
scores lowest. The table is repeated in bot/coach/README.md.
"""

from __future__ import annotations

from typing import Iterable

POINTS: dict[str, int] = {"feeling": 30, "behaviour": 25, "need": 25, "request": 20}
DEDUCTIONS: dict[str, int] = {
    "label": 30,
    "blame": 30,
    "you_make_me": 25,
    "sarcasm": 25,
    "command": 25,
    "feel_like_you": 25,
    "why_question": 20,
    "absolute": 20,
    "pseudo_feeling": 20,
    "judgement_after_feeling": 15,
    "feel_like_thought": 15,
    "you_statement": 15,
}


def score(found_parts: Iterable[str], flag_kinds: Iterable[str]) -> int:
    """Points for the parts found minus deductions for the flags, clamped to 0-100."""
    total = sum(POINTS[part] for part in set(found_parts)) - sum(DEDUCTIONS[kind] for kind in flag_kinds)
    return max(0, min(100, total))


def severity(kind: str) -> int:
    """Rank of a flag kind for feedback: the costliest is addressed first (lower rank = more serious)."""
    ranked = sorted(DEDUCTIONS, key=lambda k: -DEDUCTIONS[k])
    return ranked.index(kind)
