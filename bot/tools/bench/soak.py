"""Soak test: 50 concurrent conversations for a bounded time against a fresh stack.

Passes when no message failed or went unanswered, resident memory after the run grew by no more than
`MAX_GROWTH_MB` over the level after warm-up, and every message of every conversation is stored in the
SQLite tracker store afterwards (nothing lost).
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from bot.tools.bench.load import SCRIPT, LoadResult, MemorySampler, run_load, warm_up
from bot.tools.eval.report import markdown_table, print_table
from bot.tools.serve import Settings, Stack

MAX_GROWTH_MB = 150.0


def _stored_user_messages(db: Path, senders: list[str]) -> dict[str, int]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT sender_id, COUNT(*) FROM events WHERE type_name = 'user' GROUP BY sender_id").fetchall()
    counts = dict(rows)
    return {sender: counts.get(sender, 0) for sender in senders}


def soak(folder: Path, seconds: float, conversations: int, out: Path) -> int:
    settings = Settings.isolated(folder)
    total = LoadResult()
    rounds = 0
    with Stack(settings) as stack:
        warm_up(settings.rasa_url)
        pids = stack.pids()
        baseline = {name: MemorySampler.rss_mb(pid) for name, pid in pids.items()}
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            result = run_load(settings.rasa_url, conversations, SCRIPT, pids, label=f"soak round {rounds + 1}")
            rounds += 1
            total.add(result)
        final = {name: MemorySampler.rss_mb(pid) for name, pid in pids.items()}
    stored = _stored_user_messages(settings.tracker_db, total.senders)
    lost = {sender: n for sender, n in stored.items() if n != len(SCRIPT)}
    growth = {name: final[name] - baseline[name] for name in pids}
    s = total.summary()
    rows = [["conversations", len(total.senders)], ["messages", s["messages"]], ["rounds", rounds],
            ["duration (s)", s["seconds"]], ["failures", s["failures"]], ["empty answers", s["silent"]],
            ["p50 / p95 / max (ms)", f"{s['p50_ms']} / {s['p95_ms']} / {s['max_ms']}"],
            ["messages per second", s["messages_per_s"]],
            *[[f"{name} RSS after warm-up -> end (MB)", f"{baseline[name]:.0f} -> {final[name]:.0f} "
               f"(peak {total.peak_rss_mb[name]:.0f})"] for name in pids],
            ["conversations with every message stored", f"{len(stored) - len(lost)} / {len(stored)}"]]
    print_table(f"Soak: {conversations} concurrent conversations for {seconds:.0f} s", ["measure", "value"], rows)
    checks = {"0 failures": s["failures"] == 0 and s["silent"] == 0,
              f"memory growth <= {MAX_GROWTH_MB:.0f} MB per process": all(g <= MAX_GROWTH_MB for g in growth.values()),
              "every message stored": not lost}
    for name, ok in checks.items():
        print(f"  {'met ' if ok else 'MISSED'}  {name}")
    out.mkdir(parents=True, exist_ok=True)
    (out / "soak.json").write_text(json.dumps({"summary": s, "growth_mb": growth, "lost": lost,
                                               "checks": checks}, indent=2))
    (out / "soak.md").write_text("# Soak\n\n" + markdown_table(["measure", "value"], rows) + "\n")
    return 0 if all(checks.values()) else 1
