"""`make serve` as a person runs it: it prints the URL, SIGTERM stops every process it started, and a
restart keeps earlier conversations (SQLite tracker store) with their slots."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from bot.paths import ROOT
from bot.tools.serve import free_port
from tests.stack import Chat, tracker_events

pytestmark = pytest.mark.live


def start_make_serve(tmp_path: Path, ports: dict[str, int]) -> tuple[subprocess.Popen, list[str]]:
    """`make serve` in the background; returns it once it printed the URL, with the lines it printed."""
    env = {**os.environ, "RASA_PORT": str(ports["rasa"]), "ACTION_PORT": str(ports["action"]),
           "WEB_PORT": str(ports["web"]), "TRACKER_DB": str(tmp_path / "tracker.db")}
    process = subprocess.Popen(["make", "serve"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    deadline = time.monotonic() + 240
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            raise AssertionError("make serve exited:\n" + "".join(lines[-30:]))
        lines.append(line)
        if "Chat with the bot:" in line:
            return process, lines
    process.kill()
    raise AssertionError("make serve did not print its URL in time")


def stop_and_check_nothing_left(process: subprocess.Popen) -> None:
    """SIGTERM to make, as a service manager or `kill` would send it; nothing it started may survive."""
    family = [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]
    assert len(family) >= 4, "make, the supervisor and its three servers"
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    gone, alive = psutil.wait_procs(family, timeout=30)
    assert not [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def test_sigterm_leaves_nothing_behind_and_a_restart_keeps_the_conversation(tmp_path: Path) -> None:
    ports = {"rasa": free_port(), "action": free_port(), "web": free_port()}
    process, lines = start_make_serve(tmp_path, ports)
    assert any(f"http://127.0.0.1:{ports['web']}" in line for line in lines)
    chat = Chat(f"http://127.0.0.1:{ports['rasa']}")
    chat.say("i overthink every text she sends me")
    first = chat.last[-1]["text"]
    stop_and_check_nothing_left(process)
    stored = tracker_events(tmp_path / "tracker.db", chat.sender)
    assert any(e.get("event") == "user" for e in stored)

    process, _ = start_make_serve(tmp_path, ports)
    try:
        chat.say("another idea")  # the theme and the strategies already given come back from SQLite
        assert "Try this:" in chat.text and chat.last[-1]["text"] != first
        assert "closest to what you're feeling" not in chat.text
        assert len(tracker_events(tmp_path / "tracker.db", chat.sender)) > len(stored)
    finally:
        stop_and_check_nothing_left(process)
