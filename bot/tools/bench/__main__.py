"""`make bench`: how fast and how big the bot is, measured against Rasa's own starter bot in the same run.

    python -m bot.tools.bench                       # everything below, about 5 minutes
    python -m bot.tools.bench --smoke               # 3 conversations, our bot only (CI keeps this from rotting)
    python -m bot.tools.bench --soak 180            # 50 conversations looping for 180 s (make soak)

1. Training time of our model from scratch (empty Rasa cache, temporary output).
2. Our stack (`bot.tools.serve.Stack`, the same as `make serve`): 20 concurrent REST conversations of 15 realistic
   messages; p50/p95/max latency, messages per second, failures, peak resident memory of the Rasa server
   and of the action server. The load runs `ROUNDS` times, each with new conversations, and the rounds are
   pooled: one round is 300 messages in about two seconds, and on this shared 2-core machine a single
   round's p95 moved by up to 120 ms from one round to the next with nothing changed. Each round's p95
   is shown.
3. Rasa's starter bot (`rasa init --no-prompt` in a temporary folder, same venv) under the same load.
Figures are printed, with ours as ratios to the starter's, and written to results/bench/. The latency and
throughput targets are those ratios (`TARGETS`); memory and training time are absolute.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import date
from pathlib import Path
from typing import Sequence

from bot.paths import ROOT
from bot.tools.bench.load import SCRIPT, LoadResult, run_load, warm_up
from bot.tools.eval.report import markdown_table, print_table
from bot.tools.serve import Settings, Stack, free_port, wait_for_http

OUT = ROOT / "results" / "bench"
ROUNDS = 5
# Latency and throughput are gated as ratios to the starter bot measured in the same run: absolute times on
# these shared machines move by a third from day to day. Memory and training time are absolute.
TARGETS = {"p95_ratio": 0.25, "throughput_ratio": 5.0, "pss_mb_total": 1536.0, "train_s": 180.0}
QUIET_ENV = {"RASA_TELEMETRY_ENABLED": "false", "PYTHONWARNINGS": "ignore", "TF_CPP_MIN_LOG_LEVEL": "2"}


def train_from_scratch(folder: Path) -> float:
    env = {**os.environ, **QUIET_ENV, "RASA_CACHE_DIRECTORY": str(folder / "cache")}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "rasa", "train", "--config", "config.yml", "--domain", "domain.yml",
                    "--data", "data/nlu", "data/rules", "data/stories", "--out", str(folder / "models")],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def measure_ours(folder: Path, conversations: int, script: Sequence[Sequence[str]], rounds: int) -> LoadResult:
    settings = Settings.isolated(folder)
    with Stack(settings) as stack:
        warm_up(settings.rasa_url)
        return run_load(settings.rasa_url, conversations, script, stack.pids(), label="our bot", rounds=rounds)


def measure_starter(folder: Path, conversations: int, script: Sequence[Sequence[str]], rounds: int) -> LoadResult:
    """Rasa's starter bot, trained and served from a temporary folder with the same venv."""
    env = {**os.environ, **QUIET_ENV, "RASA_CACHE_DIRECTORY": str(folder / "cache")}
    project = folder / "starter"
    project.mkdir()
    subprocess.run([sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir", str(project)],
                   cwd=project, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    with open(folder / "starter.log", "wb") as log:
        server = subprocess.Popen([sys.executable, "-m", "rasa", "run", "--port", str(port),
                                   "--interface", "127.0.0.1"], cwd=project, env=env, stdout=log,
                                  stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for_http(f"{url}/", 240, server, "the starter bot")
            warm_up(url)
            return run_load(url, conversations, script, {"rasa": server.pid}, label="starter bot", rounds=rounds)
        finally:
            server.terminate()
            server.wait(30)


def _soak(folder: Path, seconds: float, conversations: int = 50) -> int:
    from bot.tools.bench.soak import soak

    return soak(folder, seconds, conversations, OUT)


def main(argv: list[str]) -> int:
    warnings.filterwarnings("ignore")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="3 conversations, our bot only")
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="rounds of the load, pooled")
    parser.add_argument("--soak", type=float, metavar="SECONDS", help="soak test instead of the benchmark")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        folder = Path(tmp)
        if args.soak:
            return _soak(folder, args.soak)
        conversations, rounds = (3, 1) if args.smoke else (args.conversations, args.rounds)
        train_s = None if args.smoke else train_from_scratch(folder)
        ours = measure_ours(folder, conversations, SCRIPT, rounds)
        starter = None if args.smoke else measure_starter(folder, conversations, SCRIPT, rounds)
    return report(ours, starter, train_s, conversations, smoke=args.smoke, rounds=rounds)


def _spread(result: LoadResult | None) -> str:
    """Lowest and highest p95 of the pooled rounds."""
    answered = [p95 for p95 in (result.round_p95_ms if result else []) if not math.isnan(p95)]
    return f"{min(answered):.0f} - {max(answered):.0f}" if answered else ""


def report(ours: LoadResult, starter: LoadResult | None, train_s: float | None, conversations: int,
           smoke: bool, rounds: int = 1) -> int:
    a, b = ours.summary(), starter.summary() if starter else {}
    # The memory target is on PSS: the memory the processes occupy, each shared page split between the
    # processes that share it (bot/tools/bench/load.py, MemorySampler). The RSS sums are shown beside it.
    pss_total = a.get("peak_pss_mb_rasa", 0) + a.get("peak_pss_mb_actions", 0)
    rss_total = a.get("peak_rss_mb_rasa", 0) + a.get("peak_rss_mb_actions", 0)
    rows = []
    for key, label in (("p50_ms", "p50 latency (ms)"), ("p95_ms", "p95 latency (ms)"),
                       ("max_ms", "max latency (ms)"), ("messages_per_s", "messages per second"),
                       ("failures", "failures"), ("silent", "empty answers"),
                       ("peak_pss_mb_rasa", "Rasa server peak PSS (MB)"),
                       ("peak_rss_mb_rasa", "Rasa server peak RSS, summed over processes (MB)")):
        ratio = f"{a[key] / b[key]:.2f}x" if b.get(key) and key in a else ""
        rows.append([label, a.get(key, ""), b.get(key, "") if b else "", ratio])
        if key == "p95_ms" and rounds > 1:
            rows.append(["  p95 of each round, lowest - highest (ms)", _spread(ours), _spread(starter), ""])
    rows.append(["action server peak PSS (MB)", a.get("peak_pss_mb_actions", ""), "-", ""])
    rows.append(["Rasa + actions peak PSS (MB)", pss_total, b.get("peak_pss_mb_rasa", "") if b else "", ""])
    rows.append(["Rasa + actions peak RSS sum (MB)", rss_total, b.get("peak_rss_mb_rasa", "") if b else "", ""])
    if train_s is not None:
        rows.append(["training from scratch (s)", round(train_s), "", ""])
    pooled = f"{rounds} rounds, pooled, of " if rounds > 1 else ""
    title = (f"{pooled}{conversations} concurrent REST conversations x {len(SCRIPT)} messages "
             f"({date.today().isoformat()}, {os.cpu_count()} cores)")
    print_table(title, ["measure", "our bot", "starter bot", "ours / starter"], rows)

    checks = {"0 failures": a["failures"] == 0 and a["silent"] == 0}
    if not smoke:
        p95_limit = TARGETS["p95_ratio"] * b["p95_ms"]
        checks.update({
            f"p95 <= {TARGETS['p95_ratio']}x starter's ({p95_limit:.0f} ms in this run)": a["p95_ms"] <= p95_limit,
            f"throughput >= {TARGETS['throughput_ratio']:g}x starter's":
                a["messages_per_s"] >= TARGETS["throughput_ratio"] * b["messages_per_s"],
            f"Rasa + actions <= {TARGETS['pss_mb_total']:.0f} MB (PSS)":
                min(a.get("peak_pss_mb_rasa", 0), a.get("peak_pss_mb_actions", 0)) > 0  # measured at all
                and pss_total <= TARGETS["pss_mb_total"],
            f"training <= {TARGETS['train_s']:.0f} s": train_s is not None and train_s <= TARGETS["train_s"],
        })
    for name, ok in checks.items():
        print(f"  {'met ' if ok else 'MISSED'}  {name}")
    (OUT / ("smoke.json" if smoke else "bench.json")).write_text(json.dumps(
        {"date": date.today().isoformat(), "cores": os.cpu_count(), "ours": a, "starter": b,
         "train_s": train_s, "checks": checks}, indent=2))
    if not smoke:
        (OUT / "summary.md").write_text(f"# Benchmark\n\n{title}\n\n" + markdown_table(
            ["measure", "our bot", "starter bot", "ours / starter"], rows) + "\n")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
