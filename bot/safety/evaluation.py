"""Measure the safety rule layer on the hand-written lists in tests/safety/messages.yml.

Recall on the crisis and abuse lists must stay at 1.00 and every check_in sentence must get at least a
check-in; false alarms (crisis or abuse raised on ordinary insecurity or idioms) and check-ins are reported,
so a pattern change that trades one for the other shows up in `make eval`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.paths import ROOT
from bot.safety.rules import read_yaml

DEFAULT_LISTS = ROOT / "tests" / "safety" / "messages.yml"
RISK_LISTS = ("crisis", "abuse")
SAFE_LISTS = ("ordinary", "figurative")


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def evaluate_lists(path: Path | str = DEFAULT_LISTS) -> dict[str, Any]:
    """Recall per risk list, false-alarm rate and check-ins per safe list, and every miss and false alarm.

    Keys: counts, recall {crisis, abuse}, misses {crisis, abuse}, false_alarm_rate {ordinary, figurative},
    false_alarms {ordinary, figurative: [{text, kind}]}, check_ins {ordinary, figurative: count},
    check_in_reach (share of the check_in list that got a check-in or more), check_in_misses,
    known_gaps {caught, total}, passed (the required figures all hold).
    """
    from bot.safety.detector import detect

    lists: dict[str, list[str]] = read_yaml(Path(path)) or {}
    results = {name: [(text, detect(text)) for text in lists.get(name) or []] for name in lists}
    report: dict[str, Any] = {"counts": {name: len(items) for name, items in results.items()}}
    report["recall"], report["misses"] = {}, {}
    for name in RISK_LISTS:
        items = results.get(name, [])
        missed = [text for text, result in items if not getattr(result, name)]
        report["recall"][name] = _rate(len(items) - len(missed), len(items))
        report["misses"][name] = missed
    report["false_alarm_rate"], report["false_alarms"], report["check_ins"] = {}, {}, {}
    for name in SAFE_LISTS:
        items = results.get(name, [])
        alarms = [
            {"text": text, "kind": result.kind} for text, result in items if result.crisis or result.abuse
        ]
        report["false_alarm_rate"][name] = _rate(len(alarms), len(items))
        report["false_alarms"][name] = alarms
        report["check_ins"][name] = sum(result.check_in for _, result in items)
    check_in = results.get("check_in", [])
    report["check_in_misses"] = [text for text, result in check_in if result.kind is None]
    report["check_in_reach"] = _rate(len(check_in) - len(report["check_in_misses"]), len(check_in))
    gaps = results.get("known_gaps", [])
    report["known_gaps"] = {"caught": sum(result.kind is not None for _, result in gaps), "total": len(gaps)}
    report["passed"] = all(
        value in (1.0, None) for value in (*report["recall"].values(), report["check_in_reach"])
    )
    return report
