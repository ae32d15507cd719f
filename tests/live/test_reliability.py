"""Bad input never crashes or goes silent; the action server going down or hanging gets a graceful message
and the conversation recovers; the HTTP API needs a token; CORS is limited; no message text in the logs."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.dialogue.limits import SORRY, UNREADABLE
from bot.paths import ROOT
from bot.tools.serve import Settings, Stack, free_port, wait_for_http
from tests.stack import Chat

pytestmark = pytest.mark.live
TOKEN = "test-token-1234"
MARKER = "zebracrossing"  # a word no log line should ever contain


def post(url: str, body: bytes, headers: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json",
                                                              **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def get(url: str, headers: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


# ------------------------------------------------------------------------------ bad input (shared stack)
@pytest.mark.parametrize("message, expected", [
    ("", "came through empty"),
    ("   \n\t ", "came through empty"),
    ("i feel so jealous " * 200, "long message"),
])
def test_empty_and_overlong_messages_get_a_clear_answer(chat: Chat, message: str, expected: str) -> None:
    chat.say(message)
    assert expected in chat.text


def test_a_crisis_inside_a_long_message_is_still_answered_as_one(chat: Chat) -> None:
    chat.say("so much has happened this year. " * 80 + "and honestly i want to kill myself")
    assert "Are you safe right now?" in chat.text


@pytest.mark.parametrize("message", [
    "hi\x00\x07 there\x1b[31m",                      # control characters
    "\u200fאני מרגישה קנאה\u200f i feel jealous",    # right-to-left marks and Hebrew
    "he liked her pic 😒😒 am i overreacting 🙃",     # emoji
    "<script>alert('x')</script> you never listen",  # HTML / script text
    "\ud83d",                                        # a lone surrogate: invalid UTF-16 in JSON
])
def test_odd_text_gets_an_answer(chat: Chat, message: str) -> None:
    chat.say(message)
    assert chat.last and chat.text.strip()


@pytest.mark.parametrize("body", [
    b"{not json",
    b"[1, 2, 3]",
    b'"just a string"',
    json.dumps({"message": "hi"}).encode(),                            # no sender
    json.dumps({"sender": "a"}).encode(),                              # no message
    json.dumps({"sender": "a", "message": 42}).encode(),
    json.dumps({"sender": "x" * 129, "message": "hi"}).encode(),       # sender id too long
    json.dumps({"sender": "a b/../c", "message": "hi"}).encode(),      # not a plain id
    json.dumps({"sender": "a", "message": "x" * 20_001}).encode(),     # body far too long
    json.dumps({"sender": "a", "message": "hi", "metadata": [1]}).encode(),
])
def test_malformed_requests_get_a_clean_400(stack: Stack, body: bytes) -> None:
    status, _ = post(f"{stack.settings.rasa_url}/webhooks/rest/webhook", body)
    assert status == 400


def test_http_api_is_off_by_default(stack: Stack) -> None:
    status, _ = get(f"{stack.settings.rasa_url}/status")
    assert status == 404


def test_cors_allows_only_the_widget_origin(stack: Stack) -> None:
    url = f"{stack.settings.rasa_url}/webhooks/rest/webhook"
    _, own = get(url, {"Origin": stack.settings.web_url})
    _, other = get(url, {"Origin": "https://evil.example"})
    assert own.get("Access-Control-Allow-Origin") == stack.settings.web_url
    assert "Access-Control-Allow-Origin" not in other


# ------------------------------------------------------------------ a stack of our own to break and mend
@pytest.fixture(scope="module")
def own_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    folder = tmp_path_factory.mktemp("reliability")
    settings = Settings.isolated(folder, auth_token=TOKEN, extra_env={"BOT_TURN_DEADLINE": "6"})
    running = Stack(settings)
    running.start()
    yield running
    running.stop()


def test_api_needs_the_token_when_enabled(own_stack: Stack) -> None:
    url = f"{own_stack.settings.rasa_url}/status"
    assert get(url)[0] == 401
    assert get(f"{url}?token={TOKEN}")[0] == 200


def test_action_server_down_gets_a_graceful_message_and_the_conversation_recovers(own_stack: Stack) -> None:
    chat = Chat(own_stack.settings.rasa_url)
    chat.say("i compare myself to his ex all the time")
    assert "Try this:" in chat.text
    own_stack.stop_service("actions")
    try:
        chat.say(f"another idea please {MARKER}")
        assert chat.text == SORRY
    finally:
        own_stack.start_service("actions")
    chat.say("another idea")
    assert "Try this:" in chat.text


def test_a_hanging_action_server_gets_an_answer_within_the_deadline(own_stack: Stack) -> None:
    chat = Chat(own_stack.settings.rasa_url)
    actions = own_stack.services["actions"].process
    assert actions is not None
    os.kill(actions.pid, signal.SIGSTOP)
    try:
        chat.say(f"i feel like i'm not good enough {MARKER}")
        assert chat.text == SORRY
    finally:
        os.kill(actions.pid, signal.SIGCONT)
    chat.say("hi")
    assert "not a therapist" in chat.text


def _logs_with_marker(log_dir: Path) -> list[str]:
    logs = {path.name: path.read_text(errors="replace") for path in log_dir.glob("*.log")}
    assert logs, f"no logs in {log_dir}"
    return [name for name, text in logs.items() if MARKER in text]


def test_no_message_text_in_the_logs(own_stack: Stack) -> None:
    chat = Chat(own_stack.settings.rasa_url)
    chat.say(f"he is always on his phone {MARKER}")
    assert not _logs_with_marker(own_stack.settings.log_dir)  # type: ignore[arg-type]


def _give_up(url: str, sender: str, text: str, seconds: float) -> None:
    """A client that stops waiting (a closed tab, a slow phone): the request is cancelled mid-turn."""
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(f"{url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    with contextlib.suppress(OSError):
        urllib.request.urlopen(request, timeout=seconds).read()


def test_no_message_text_in_the_logs_when_clients_give_up(own_stack: Stack) -> None:
    """Rasa logs the whole message at ERROR when a REST request is cancelled; 20 clients give up at once,
    while the turns hang on a stopped action server and when they run normally."""
    url = own_stack.settings.rasa_url
    actions = own_stack.services["actions"].process
    assert actions is not None
    os.kill(actions.pid, signal.SIGSTOP)
    try:
        with ThreadPoolExecutor(20) as pool:
            list(pool.map(lambda i: _give_up(url, f"gives-up-{i}", f"i feel jealous {MARKER} {i}", 0.3), range(20)))
    finally:
        os.kill(actions.pid, signal.SIGCONT)
    with ThreadPoolExecutor(20) as pool:
        list(pool.map(lambda i: _give_up(url, f"hurried-{i}", f"he never listens {MARKER}", 0.01), range(20)))
    Chat(url).say("hi")  # every cancelled turn has run to its end by the time a new one is answered
    time.sleep(1)
    log_dir: Path = own_stack.settings.log_dir  # type: ignore[assignment]
    assert "rest.message.received.timeout" in (log_dir / "rasa.log").read_text(errors="replace")
    assert not _logs_with_marker(log_dir)


def test_no_message_text_in_the_logs_when_an_action_fails(tmp_path: Path) -> None:
    """The action server's log when an action raises: an exception that quotes the text, the text in the
    failing frame's locals (tests/live/failing_actions.py)."""
    port = free_port()
    log_path = tmp_path / "actions.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen([sys.executable, "-m", "bot.runtime.action_server", "--port", str(port),
                                   "--actions", "tests.live.failing_actions"], cwd=ROOT, stdout=log,
                                  stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            wait_for_http(f"http://127.0.0.1:{port}/health", 120, server, "the action server")
            call = {"next_action": "action_fail_on_text", "sender_id": "s", "version": "3.6.2", "domain": {},
                    "tracker": {"sender_id": "s", "slots": {}, "events": [],
                                "latest_message": {"text": f"i feel {MARKER}", "intent": {}, "entities": []}}}
            status, _ = post(f"http://127.0.0.1:{port}/webhook", json.dumps(call).encode())
        finally:
            server.terminate()
            server.wait(30)
    text = log_path.read_text(errors="replace")
    assert status == 500 and "ValueError (message not logged)" in text
    assert MARKER not in text


def test_the_widgets_socket_io_checks_session_ids_and_answers_unreadable_events(stack: Stack) -> None:
    """bot/web/gateway.py, in the page server, as the widget reaches it."""
    import socketio

    async def talk() -> tuple[str, list[dict]]:
        client = socketio.AsyncClient()
        confirmed: asyncio.Future = asyncio.get_running_loop().create_future()
        replies: list[dict] = []
        client.on("session_confirm", lambda session_id: confirmed.set_result(session_id))
        client.on("bot_uttered", lambda message: replies.append(message))
        await client.connect(stack.settings.web_url, transports=["polling"])  # as the widget does
        try:
            await client.emit("session_request", {"session_id": "../" + "x" * 500})
            session_id = await asyncio.wait_for(confirmed, 10)
            await client.emit("user_uttered", ["not", "an", "object"])
            await client.emit("user_uttered", {"session_id": session_id, "message": "hi"})
            for _ in range(100):
                if len(replies) >= 2:
                    break
                await asyncio.sleep(0.2)
        finally:
            await client.disconnect()
        return session_id, replies

    session_id, replies = asyncio.run(talk())
    assert len(session_id) == 32 and "/" not in session_id  # a fresh id instead of the unsafe one
    assert replies[0]["text"] == UNREADABLE
    assert "not a therapist" in replies[1]["text"]
