"""Verdict accuracy on a labelled sentence file (tests/coach/sentences.yml), for tests and `make eval`.

python -m bot.coach --eval [PATH]   # prints the report as JSON; exit 1 if a class is below TARGET
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.paths import ROOT

DEFAULT_SENTENCES = ROOT / "tests" / "coach" / "sentences.yml"
TARGET = 0.9  # per-class verdict accuracy the coach is held to


def evaluate_sentences(path: Path = DEFAULT_SENTENCES) -> dict[str, Any]:
    """Assess every labelled sentence: {"per_class": {verdict: accuracy}, "overall": accuracy,
    "counts": {verdict: number of sentences}, "misses": [{"text", "expected", "got"}]}."""
    from bot.coach.engine import assess

    with Path(path).open(encoding="utf-8") as handle:
        labelled: dict[str, list[str]] = yaml.safe_load(handle)
    per_class: dict[str, float] = {}
    counts: dict[str, int] = {}
    misses: list[dict[str, str]] = []
    for expected, sentences in labelled.items():
        wrong = 0
        for sentence in sentences:
            got = assess(sentence).verdict
            if got != expected:
                wrong += 1
                misses.append({"text": sentence, "expected": expected, "got": got})
        counts[expected] = len(sentences)
        per_class[expected] = round((len(sentences) - wrong) / len(sentences), 3) if sentences else 0.0
    total = sum(counts.values())
    overall = round((total - len(misses)) / total, 3) if total else 0.0
    return {"per_class": per_class, "overall": overall, "counts": counts, "misses": misses}
