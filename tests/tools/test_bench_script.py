"""The benchmark (bot/tools/bench/): a warm-up of the same kinds of turns as the measured script, never the same
words, so no measured message is parsed (and remembered) before it is measured; a memory sampler that
does not take the measured servers' CPU; and the targets it reports."""

from __future__ import annotations

import os
import time

import psutil

from bot.tools.bench.load import SCRIPT, WARM_UP, WARM_UP_CONVERSATIONS, MemorySampler, messages_for


def test_no_warm_up_message_is_a_measured_one() -> None:
    measured = {text.lower() for step in SCRIPT for text in step}
    assert not [text for step in WARM_UP for text in step if text.lower() in measured]


def test_the_warm_up_has_a_turn_for_each_step_and_says_each_variant() -> None:
    assert len(WARM_UP) == len(SCRIPT)
    sent = {text for conversation in range(WARM_UP_CONVERSATIONS) for text in messages_for(conversation, WARM_UP)}
    assert sent == {text for step in WARM_UP for text in step}


def _checks(tmp_path, monkeypatch, pss: dict[str, float]) -> dict[str, bool]:
    """The targets `make bench` reports for a fast run with these PSS peaks (RSS alike)."""
    import json

    from bot.tools.bench import __main__ as bench
    from bot.tools.bench.load import LoadResult

    monkeypatch.setattr(bench, "OUT", tmp_path)
    ours = LoadResult(latencies_ms=[50.0] * 20, seconds=0.1, peak_rss_mb=dict(pss), peak_pss_mb=dict(pss))
    starter = LoadResult(latencies_ms=[500.0] * 20, seconds=1.0, peak_rss_mb={"rasa": 1100.0},
                         peak_pss_mb={"rasa": 1100.0})
    bench.report(ours, starter, 60.0, conversations=20, smoke=False)
    return json.loads((tmp_path / "bench.json").read_text())["checks"]


def test_the_memory_target_is_checked_on_pss(tmp_path, monkeypatch) -> None:
    checks = _checks(tmp_path, monkeypatch, {"rasa": 800.0, "actions": 110.0})
    assert all(checks.values()), checks
    assert not _checks(tmp_path, monkeypatch, {"rasa": 1500.0, "actions": 110.0})["Rasa + actions <= 1536 MB (PSS)"]


def test_memory_that_could_not_be_read_fails_the_target(tmp_path, monkeypatch) -> None:
    assert not _checks(tmp_path, monkeypatch, {"rasa": 0.0, "actions": 0.0})["Rasa + actions <= 1536 MB (PSS)"]
    assert not _checks(tmp_path, monkeypatch, {})["Rasa + actions <= 1536 MB (PSS)"]


def test_the_sampler_reads_costly_pss_rarely_but_always_at_the_end(monkeypatch) -> None:
    """PSS costs the measured servers CPU (the kernel walks every page): read every `pss_interval` and as
    sampling stops, while the cheap RSS is read every `interval`."""
    reads = {"rss": 0, "pss": 0}
    full, plain = psutil.Process.memory_full_info, psutil.Process.memory_info

    def counted_full(self: psutil.Process):  # noqa: ANN202 - psutil's own named tuple
        reads["pss"] += 1
        return full(self)

    def counted_plain(self: psutil.Process):  # noqa: ANN202
        reads["rss"] += 1
        return plain(self)

    monkeypatch.setattr(psutil.Process, "memory_full_info", counted_full)
    monkeypatch.setattr(psutil.Process, "memory_info", counted_plain)
    # This process alone: in the full test run it also has the live test stack's servers as children.
    monkeypatch.setattr(MemorySampler, "_family", staticmethod(lambda pid: [psutil.Process(pid)]))
    with MemorySampler({"me": os.getpid()}, interval=0.01, pss_interval=60) as sampler:
        time.sleep(0.3)
    assert reads["pss"] == 2  # the first sample and the last
    assert reads["rss"] >= 10
    assert sampler.peak_pss["me"] > 0 and sampler.peak["me"] >= sampler.peak_pss["me"]


def test_rounds_are_pooled_and_the_p95_target_is_checked_on_the_pool(tmp_path, monkeypatch, capsys) -> None:
    from bot.tools.bench import __main__ as bench
    from bot.tools.bench.load import LoadResult

    monkeypatch.setattr(bench, "OUT", tmp_path)
    fast = LoadResult(latencies_ms=[100.0] * 90 + [150.0] * 10, seconds=1.0, senders=["a"],
                      peak_rss_mb={"rasa": 900.0}, peak_pss_mb={"rasa": 700.0, "actions": 100.0})
    slow = LoadResult(latencies_ms=[100.0] * 85 + [250.0] * 15, seconds=1.0, senders=["b"],
                      peak_rss_mb={"rasa": 950.0}, peak_pss_mb={"rasa": 650.0, "actions": 100.0})
    pooled = LoadResult()
    pooled.add(fast)
    pooled.add(slow)
    assert pooled.messages == 200 and pooled.seconds == 2.0 and pooled.senders == ["a", "b"]
    assert pooled.round_p95_ms == [150.0, 250.0]
    assert pooled.peak_rss_mb == {"rasa": 950.0} and pooled.peak_pss_mb == {"rasa": 700.0, "actions": 100.0}
    assert pooled.percentile(95) == 250.0  # the slow round's tail is 15 of the 200
    starter = LoadResult(latencies_ms=[500.0] * 20, seconds=1.0, round_p95_ms=[480.0, 520.0])
    assert bench.report(pooled, starter, 60.0, conversations=20, smoke=False, rounds=2) == 1
    assert "150 - 250" in capsys.readouterr().out and "480 - 520" in (tmp_path / "summary.md").read_text()


def test_the_sampler_finds_each_family_once_and_again_when_a_process_is_gone(monkeypatch) -> None:
    """Finding children scans every process on the machine: once per family, unless one of them ends."""
    import subprocess

    scans = [0]
    children = psutil.Process.children

    def counted(self: psutil.Process, recursive: bool = False) -> list[psutil.Process]:
        scans[0] += 1
        return children(self, recursive=recursive)

    monkeypatch.setattr(psutil.Process, "children", counted)
    child = subprocess.Popen(["sleep", "30"])
    try:
        with MemorySampler({"me": os.getpid()}, interval=0.01, pss_interval=60) as sampler:
            time.sleep(0.2)
            assert scans[0] == 1
            child.kill()
            child.wait()
            time.sleep(0.2)
        assert scans[0] >= 2  # found again once the child was gone
        assert scans[0] < 10
        assert sampler._family_mb("me", pss=False)[0] > 0  # the family without the child still reads
    finally:
        child.kill()


def test_a_rise_in_rss_brings_the_next_pss_read_forward(monkeypatch) -> None:
    """A peak between the rare PSS reads: when RSS has grown since the last one, PSS is read again soon."""
    reads = {"pss": 0}
    rss = [100.0]

    def fake_read(_family: list, pss: bool) -> tuple[float, float]:
        rss[0] += 5.0  # growing 5 MB a read
        reads["pss"] += pss
        return rss[0], (rss[0] - 20.0) if pss else 0.0

    monkeypatch.setattr(MemorySampler, "_read", staticmethod(fake_read))
    monkeypatch.setattr(MemorySampler, "_family", staticmethod(lambda pid: []))
    with MemorySampler({"server": 1}, interval=0.01, pss_interval=60, pss_gap=0.05):
        time.sleep(0.5)
    assert reads["pss"] >= 4  # not just the first and the last


def test_a_round_without_answers_leaves_no_nan_in_the_spread() -> None:
    from bot.tools.bench.__main__ import _spread
    from bot.tools.bench.load import LoadResult

    result = LoadResult(round_p95_ms=[float("nan"), 150.0, 180.0])
    assert _spread(result) == "150 - 180"
    assert _spread(LoadResult(round_p95_ms=[float("nan")])) == ""


def _run(tmp_path, monkeypatch, ours_ms: float, ours_per_s: float, starter_ms: float, starter_per_s: float
         ) -> dict[str, bool]:
    """The checks for a run where every message took `*_ms` and `*_per_s` messages went per second."""
    import json

    from bot.tools.bench import __main__ as bench
    from bot.tools.bench.load import LoadResult

    monkeypatch.setattr(bench, "OUT", tmp_path)
    memory = {"rasa": 1300.0, "actions": 100.0}
    ours = LoadResult(latencies_ms=[ours_ms] * 100, seconds=100 / ours_per_s, peak_rss_mb=dict(memory),
                      peak_pss_mb=dict(memory))
    starter = LoadResult(latencies_ms=[starter_ms] * 100, seconds=100 / starter_per_s,
                         peak_rss_mb={"rasa": 1100.0}, peak_pss_mb={"rasa": 1100.0})
    bench.report(ours, starter, 164.0, conversations=20, smoke=False)
    return json.loads((tmp_path / "bench.json").read_text())["checks"]


def test_a_slow_day_passes_when_nothing_regressed(tmp_path, monkeypatch) -> None:
    """2026-12-07: the whole machine slow, p95 281 ms against the starter's 1,254 (0.22x), 6.9x its speed."""
    checks = _run(tmp_path, monkeypatch, 281.0, 142.0, 1254.0, 20.6)
    assert all(checks.values()), checks


def test_latency_and_throughput_are_gated_as_ratios_to_the_starter(tmp_path, monkeypatch) -> None:
    slow_answers = _run(tmp_path, monkeypatch, 150.0, 142.0, 500.0, 20.6)  # 0.30x the starter's p95
    assert [name for name, ok in slow_answers.items() if not ok] == ["p95 <= 0.25x starter's (125 ms in this run)"]
    slow_overall = _run(tmp_path, monkeypatch, 100.0, 90.0, 500.0, 20.0)  # 4.5x the starter's throughput
    assert [name for name, ok in slow_overall.items() if not ok] == ["throughput >= 5x starter's"]
