"""What an assessment looks like to callers: plain frozen dataclasses that serialise to JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any, Callable

# The four parts of an I-statement, in the order people are taught to say them.
PARTS: tuple[str, ...] = ("feeling", "behaviour", "need", "request")

# accusation: blames the partner; pseudo_i_statement: starts from "I" but still judges; i_statement: a real
# feeling owned by the speaker, no blame; unclear: neither a feeling about the speaker nor a blame.
VERDICTS: tuple[str, ...] = ("accusation", "pseudo_i_statement", "i_statement", "unclear")


@dataclass(frozen=True)
class Flag:
    """Words that may land as blame, with character offsets so a UI can highlight them."""

    kind: str
    text: str  # == assessed_text[start:end]
    start: int
    end: int
    explanation: str  # one kind, plain sentence for the person


@dataclass(frozen=True)
class Assessment:
    """The coach's reading of one sentence."""

    text: str
    verdict: str
    parts: dict[str, list[str]]  # PARTS -> the words found (empty list when missing)
    flags: list[Flag]
    complete: bool  # feeling, behaviour and need present and nothing flagged
    score: int  # 0-100, see bot.coach.engine.score
    feedback: list[str]  # one to three sentences, most important first
    build_suggestion: Callable[[], str | None] = field(repr=False, compare=False)  # see `suggestion`

    @cached_property
    def suggestion(self) -> str | None:
        """A rewrite starting from the speaker, for accusations and pseudo-I-statements (else None).

        Built when first asked for: it is most of the cost of assessing an accusation (0.6 of 0.75 ms), and
        the bot shows it only when an exercise ends without a complete I-statement.
        """
        return self.build_suggestion()

    @property
    def missing_parts(self) -> list[str]:
        """Part names with nothing found, in PARTS order."""
        return [part for part in PARTS if not self.parts[part]]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict with the public fields."""
        return {
            "text": self.text,
            "verdict": self.verdict,
            "parts": {part: list(words) for part, words in self.parts.items()},
            "flags": [asdict(flag) for flag in self.flags],
            "complete": self.complete,
            "score": self.score,
            "feedback": list(self.feedback),
            "suggestion": self.suggestion,
        }
