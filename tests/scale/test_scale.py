"""The scale-out profile (make test-scale): PostgreSQL + Redis + two Rasa servers behind nginx.

One conversation alternating between the two servers keeps its state (slots, an open rephrasing form);
concurrent messages of one conversation are serialised by the Redis lock; stopping one server mid-test
loses no message; throughput with one and two servers under the benchmark load is reported.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.paths import ROOT
from bot.tools.bench.load import run_load
from bot.tools.scale import ScaleSettings, ScaleStack
from tests.stack import Chat, turns

pytestmark = pytest.mark.scale


@pytest.fixture(scope="module")
def scale() -> Iterator[ScaleStack]:
    # Under var/, not /tmp: pytest's temporary folders are private to root, and PostgreSQL runs as `postgres`.
    folder = ROOT / "var" / "test-scale"
    shutil.rmtree(folder, ignore_errors=True)
    stack = ScaleStack(ScaleSettings.free(folder))
    stack.start()
    yield stack
    stack.stop()
    shutil.rmtree(folder, ignore_errors=True)


def stored_events(stack: ScaleStack, sender: str) -> list[dict]:
    s = stack.settings
    out = subprocess.run(["psql", "-h", s.host, "-p", str(s.postgres_port), "-U", "postgres", "-d", "rasa",
                          "-tAc", f"SELECT data FROM events WHERE sender_id = '{sender}' ORDER BY id"],
                         capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_a_conversation_alternating_between_servers_keeps_its_state(scale: ScaleStack) -> None:
    first, second = (Chat(scale.settings.rasa_url(i)) for i in (0, 1))
    second.sender = first.sender
    first.say("you never listen to me")
    assert "I-statement" in first.text
    second.say("yes")                        # the offer made by server 0 is accepted on server 1
    assert "Your turn" in second.text
    first.say("I feel like you never listen to me")   # the open form continues on server 0
    assert "Try once more" in first.text
    second.say("how am i doing?")            # progress slots written by server 0, read by server 1
    assert "1 attempt" in second.text
    assert any(e.get("event") == "active_loop" for e in stored_events(scale, first.sender))


def test_concurrent_messages_of_one_conversation_are_serialised(scale: ScaleStack) -> None:
    chats = [Chat(scale.settings.rasa_url(i % 2)) for i in range(8)]
    for chat in chats[1:]:
        chat.sender = chats[0].sender
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda c: c.say("i get so jealous when she texts her ex"), chats))
    assert all(chat.last for chat in chats)
    # Each turn runs whole before the next starts: user, its actions, action_listen, then the next user.
    stored = turns(stored_events(scale, chats[0].sender))
    assert len(stored) == 8 and all(turn[-1] == "action_listen" for turn in stored)


def test_stopping_one_server_mid_conversation_loses_no_message(scale: ScaleStack) -> None:
    chat = Chat(scale.settings.entry_url)  # through nginx
    sent = 0
    for text in ("hi", "i overthink every text", "another idea"):
        chat.say(text)
        sent += 1
        assert chat.text
    scale.stop_rasa(0)
    for text in ("what else can i do", "i compare myself to his ex", "thanks"):
        chat.say(text)
        sent += 1
        assert chat.text and "Sorry, I couldn't answer" not in chat.text
    users = [e for e in stored_events(scale, chat.sender) if e.get("event") == "user"]
    assert len(users) == sent
    scale.bot.start_service("rasa0")


def test_throughput_with_one_and_two_servers(scale: ScaleStack) -> None:
    both = run_load(scale.settings.entry_url, conversations=10, label="two servers", quiet=True)
    scale.stop_rasa(1)
    one = run_load(scale.settings.entry_url, conversations=10, label="one server", quiet=True)
    scale.bot.start_service("rasa1")
    assert both.failures == one.failures == 0
    report = {"two_servers": both.summary(), "one_server": one.summary(),
              "ratio": round(both.throughput / one.throughput, 2)}
    out: Path = ROOT / "results" / "scale"
    out.mkdir(parents=True, exist_ok=True)
    (out / "throughput.json").write_text(json.dumps(report, indent=2))
    print(f"\nthroughput: two servers {both.throughput:.1f} msg/s, one server {one.throughput:.1f} msg/s "
          f"(x{report['ratio']})")
