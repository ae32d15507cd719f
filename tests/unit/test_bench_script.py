"""The benchmark's warm-up (bot/bench/load.py): the same kinds of turns as the measured script, never the
same words, so no measured message is parsed (and remembered) before it is measured."""

from __future__ import annotations

from bot.bench.load import SCRIPT, WARM_UP, WARM_UP_CONVERSATIONS, messages_for


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

    from bot.bench import __main__ as bench
    from bot.bench.load import LoadResult

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
