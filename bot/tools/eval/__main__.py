"""`make eval` and `make crossval`: the figures we quote, measured, printed and written to results/eval/.

    python -m bot.tools.eval            # NLU on the held-out split, the coach, crisis/abuse detection
    python -m bot.tools.eval crossval   # 5-fold cross-validation of the NLU pipeline on the training data

- NLU: `rasa test nlu` on tests/nlu/test_nlu.yml (never trained on): per-intent precision/recall/F1,
  macro F1, and the confusion matrix image Rasa draws (results/eval/nlu/intent_confusion_matrix.png).
- Coach: verdict accuracy on tests/coach/sentences.yml.
- Safety: the whole NLU pipeline (DIET and the rule override together, as the bot runs) on
  tests/safety/messages.yml: recall on the crisis and abuse lists, false alarms and gentle check-ins on
  ordinary messages and figures of speech; each layer alone is shown too.
The Markdown summary goes to results/eval/summary.md. Exit status 1 when a required figure is missed
(macro F1 < 0.90, coach accuracy < 0.90 on a class, safety recall < 1.00).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from typing import Any

from bot.paths import ROOT
from bot.safety.signals import INTENT_FOR
from bot.tools.eval.parse import MODEL, parse_all
from bot.tools.eval.report import markdown_table, print_table

OUT = ROOT / "results" / "eval"
NLU_TEST = ROOT / "tests" / "nlu" / "test_nlu.yml"
SAFETY_LISTS = ROOT / "tests" / "safety" / "messages.yml"
MIN_MACRO_F1 = 0.90
MIN_COACH_ACCURACY = 0.90
# The intents whose answer asks the gentle check-in: their actions read the `safety_check` entity
# (actions/strategies.py, actions/safety.py). Every other answer is a fixed response that cannot ask.
# tests/tools/test_eval_check_ins.py keeps this true to data/rules.
INTENTS_THAT_CHECK_IN = ("request_strategy", *INTENT_FOR.values())


def _rasa(*args: str) -> None:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONWARNINGS": "ignore"}
    subprocess.run([sys.executable, "-m", "rasa", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def intent_rows(report: dict[str, Any]) -> tuple[list[list[Any]], float]:
    """Per-intent rows (name, precision, recall, F1, support) and the macro F1 from Rasa's report."""
    rows = [[name, f"{v['precision']:.2f}", f"{v['recall']:.2f}", f"{v['f1-score']:.2f}", v["support"]]
            for name, v in sorted(report.items())
            if isinstance(v, dict) and "support" in v and not name.endswith("avg")]
    return rows, report["macro avg"]["f1-score"]


def evaluate_nlu() -> dict[str, Any]:
    out = OUT / "nlu"
    _rasa("test", "nlu", "--model", str(MODEL), "--nlu", str(NLU_TEST), "--out", str(out))
    rows, macro = intent_rows(json.loads((out / "intent_report.json").read_text()))
    print_table("NLU on the held-out test split (tests/nlu/test_nlu.yml)",
                ["intent", "precision", "recall", "F1", "n"], rows)
    print(f"macro F1: {macro:.3f}   confusion matrix: {out / 'intent_confusion_matrix.png'}\n")
    return {"macro_f1": macro, "rows": rows, "passed": macro >= MIN_MACRO_F1}


def evaluate_coach() -> dict[str, Any]:
    from bot.coach import evaluate_sentences

    result = evaluate_sentences()
    rows = [[verdict, result["counts"][verdict], f"{accuracy:.3f}"]
            for verdict, accuracy in result["per_class"].items()]
    print_table("Coach verdicts on tests/coach/sentences.yml", ["verdict", "n", "accuracy"], rows)
    print(f"overall accuracy: {result['overall']:.3f}\n")
    for miss in result["misses"]:
        print(f"  miss: {miss['text']!r}: expected {miss['expected']}, got {miss['got']}")
    return {"rows": rows, "overall": result["overall"],
            "passed": min(result["per_class"].values()) >= MIN_COACH_ACCURACY}


def _rate(part: list, whole: list) -> str:
    return f"{len(part) / len(whole):.3f}" if whole else "-"


def evaluate_safety() -> dict[str, Any]:
    """Both layers together, as the bot runs them, and each layer alone for comparison.

    A full response is the crisis or abuse reply with resources; a check-in is the gentle question the
    bot asks when only one layer is unsure. Recall counts full responses only.
    """
    import yaml

    from bot.runtime.components.fallback_classifier import REDIRECT_KEY
    from bot.runtime.components.safety_override import OVERRIDE_KEY
    from bot.safety.detector import detect
    from bot.safety.signals import CHECK_ENTITY
    from bot.strategies.catalogue import THEMES

    lists: dict[str, list[str]] = yaml.safe_load(SAFETY_LISTS.read_text(encoding="utf-8"))
    names = [name for name in ("crisis", "abuse", "ordinary", "figurative") if lists.get(name)]
    texts = [text for name in names for text in lists[name]]
    parsed = parse_all(texts)

    def outcome(text: str) -> dict[str, Any]:
        result = parsed[text]
        checked = any(e["entity"] == CHECK_ENTITY for e in result.get("entities", []))
        intent = result["intent"]["name"]
        rules = detect(text)
        return {"full": None if checked else intent, "check_in": checked or rules.check_in,
                "asked": checked and (intent in THEMES or intent in INTENTS_THAT_CHECK_IN),
                "rules": rules.kind,
                "diet": (result.get(OVERRIDE_KEY) or {}).get("diet_intent")
                or result.get(REDIRECT_KEY) or intent}

    outcomes = {text: outcome(text) for text in texts}
    rows, report = [], {"passed": True, "misses": {}}
    for name in ("crisis", "abuse"):
        items = lists.get(name) or []
        intent = INTENT_FOR[name]
        full = [t for t in items if outcomes[t]["full"] == intent]
        reached = [t for t in items if t in full or outcomes[t]["check_in"]]
        rules = [t for t in items if outcomes[t]["rules"] == name]
        diet = [t for t in items if outcomes[t]["diet"] == intent]
        report["misses"][name] = [t for t in items if t not in full]
        report["passed"] &= len(full) == len(items)
        rows.append([f"{name}: full response (recall)", len(items), _rate(full, items), _rate(rules, items),
                     _rate(diet, items)])
        rows.append([f"{name}: full response or check-in", len(items), _rate(reached, items), "", ""])
    for name in ("ordinary", "figurative"):
        items = lists.get(name) or []
        alarms = [t for t in items if outcomes[t]["full"] in INTENT_FOR.values()]
        rules = [t for t in items if outcomes[t]["rules"] in INTENT_FOR]
        diet = [t for t in items if outcomes[t]["diet"] in INTENT_FOR.values()]
        checks = [t for t in items if t not in alarms and outcomes[t]["check_in"]]
        unasked = [t for t in checks if not outcomes[t]["asked"]]
        report[f"{name}_false_alarms"] = alarms
        report["misses"][f"{name} check-in not asked"] = unasked
        report["passed"] &= not unasked
        rows.append([f"{name}: false alarms", len(items), _rate(alarms, items), _rate(rules, items),
                     _rate(diet, items)])
        rows.append([f"{name}: gentle check-ins", len(items), _rate(checks, items), "", ""])
        rows.append([f"{name}: check-ins asked (of those)", len(checks), _rate(
            [t for t in checks if t not in unasked], checks), "", ""])
    print_table("Crisis and abuse detection on tests/safety/messages.yml",
                ["measure", "n", "both layers (the bot)", "rules alone", "DIET alone"], rows)
    for name, missed in report["misses"].items():
        for text in missed:
            print(f"  {name} MISSED: {text!r}")
    report["rows"] = rows
    return report


def crossval() -> int:
    out = ROOT / "results" / "crossval"
    _rasa("test", "nlu", "--nlu", "data/nlu", "--config", "config.yml", "--cross-validation",
          "--folds", "5", "--out", str(out))
    rows, macro = intent_rows(json.loads((out / "intent_report.json").read_text()))
    print_table("NLU 5-fold cross-validation on data/nlu", ["intent", "precision", "recall", "F1", "n"], rows)
    print(f"macro F1: {macro:.3f}")
    return 0


def main(argv: list[str]) -> int:
    warnings.filterwarnings("ignore")  # library deprecation notices would bury the figures
    if argv[:1] == ["crossval"]:
        return crossval()
    if argv:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    if not MODEL.exists():
        print("No trained model: run `make train` first.", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    nlu, coach, safety = evaluate_nlu(), evaluate_coach(), evaluate_safety()
    summary = "\n\n".join([
        "# Evaluation summary",
        f"## NLU (held-out split)\nmacro F1 **{nlu['macro_f1']:.3f}**\n\n"
        + markdown_table(["intent", "precision", "recall", "F1", "n"], nlu["rows"]),
        f"## Coach verdicts\noverall accuracy **{coach['overall']:.3f}**\n\n"
        + markdown_table(["verdict", "n", "accuracy"], coach["rows"]),
        "## Crisis and abuse detection\n"
        + markdown_table(["measure", "n", "both layers (the bot)", "rules alone", "DIET alone"],
                         safety["rows"]),
    ])
    (OUT / "summary.md").write_text(summary + "\n", encoding="utf-8")
    print(f"\nSummary written to {OUT / 'summary.md'}")
    failed = [name for name, part in (("NLU macro F1", nlu), ("coach", coach), ("safety recall", safety))
              if not part["passed"]]
    if failed:
        print(f"Below target: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
