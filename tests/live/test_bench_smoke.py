"""A few conversations through the benchmark's own code, so `make bench` cannot rot between full runs."""

from __future__ import annotations

import json
import re

import pytest

from bot.tools.bench import __main__ as bench
from bot.tools.bench.load import SCRIPT, run_load
from bot.tools.serve import Stack

pytestmark = pytest.mark.live


def test_bench_load_and_report_on_the_running_stack(stack: Stack, tmp_path, monkeypatch) -> None:
    pids = stack.pids()
    variants = max(len(step) for step in SCRIPT)  # every variant of every step once
    result = run_load(stack.settings.rasa_url, conversations=variants, pids=pids, label="smoke", quiet=True)
    summary = result.summary()
    assert summary["messages"] == variants * len(SCRIPT)
    assert summary["failures"] == 0 and summary["silent"] == 0
    assert 0 < summary["p50_ms"] <= summary["p95_ms"] <= summary["max_ms"]
    assert summary["peak_rss_mb_rasa"] > 300 and summary["peak_rss_mb_actions"] > 30
    assert 300 < summary["peak_pss_mb_rasa"] < summary["peak_rss_mb_rasa"]  # shared libraries split, not whole

    monkeypatch.setattr(bench, "OUT", tmp_path)
    assert bench.report(result, None, None, conversations=variants, smoke=True) == 0
    written = json.loads((tmp_path / "smoke.json").read_text())
    assert written["checks"] == {"0 failures": True} and written["ours"]["messages"] == variants * len(SCRIPT)


def test_each_worker_freezes_its_loaded_objects_once(stack: Stack) -> None:
    """bot/runtime/gc_freeze.freeze_loaded_objects: a full garbage collection no longer walks the loaded model."""
    log = (stack.settings.log_dir / "rasa.log").read_text(errors="replace")  # type: ignore[operator]
    frozen = [int(n) for n in re.findall(r"Froze (\d+) long-lived objects", log)]
    assert len(frozen) == stack.settings.rasa_workers == 2 and min(frozen) > 100_000
