"""`python -m bot.coach` run as a subprocess: plain, --json, --json from stdin, --eval, bad arguments."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bot.paths import ROOT


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    return subprocess.run(
        [sys.executable, "-m", "bot.coach", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_plain_output_is_a_readable_report() -> None:
    result = run("you never listen to me")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Verdict:    accusation" in out and "Score:      5/100" in out
    assert "absolute 'never' [4:9]:" in out
    assert "Feedback:\n  - Swap 'never'" in out
    assert "Suggestion: I feel " in out


def test_json_prints_one_object() -> None:
    result = run("--json", "I’m hurt when u never call")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["verdict"] == "pseudo_i_statement" and data["text"] == "I’m hurt when u never call"
    assert data["flags"][0]["kind"] == "judgement_after_feeling"


def test_json_reads_one_sentence_per_line_from_stdin_and_skips_blank_lines() -> None:
    result = run("--json", stdin="you never call\n\n   \nI feel lonely when we don't talk\n")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["verdict"] for r in rows] == ["accusation", "i_statement"]


def test_eval_reports_accuracy_and_passes_the_target() -> None:
    result = run("--eval")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert all(accuracy >= 0.9 for accuracy in report["per_class"].values())


@pytest.mark.parametrize(
    "args", [[], ["--nope"], ["two", "words"], ["   "], ["--eval", "missing.yml"], ["--json", "--eval"]]
)
def test_bad_arguments_exit_2_with_usage(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("usage: python -m bot.coach")
    assert result.stdout == ""


def test_importing_the_coach_loads_neither_spacy_nor_tensorflow() -> None:
    code = (
        "import sys, bot.coach; from bot.coach.__main__ import main; assert 'spacy' not in sys.modules; "
        "main(['hi']); print(sys.modules.get('tensorflow') is None)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("True")
