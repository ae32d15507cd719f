"""The Rasa server runs two Sanic workers (bot/tools/serve.py) that share conversations and their ticket locks
through SQLite (endpoints.yml, bot/runtime/lock_store.py): whichever worker takes a message, nothing is lost and
the turns of one conversation never interleave."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import aiohttp
import psutil
import pytest

from bot.runtime.worker_balance import SLACK
from bot.tools.serve import RASA_READY, Stack
from tests.stack import Chat, tracker_events, turns

pytestmark = pytest.mark.live


def test_the_rasa_server_runs_its_workers_and_each_loaded_the_model(stack: Stack) -> None:
    workers = psutil.Process(stack.pids()["rasa"]).children()
    assert len(workers) == stack.settings.rasa_workers == 2
    log = (stack.settings.log_dir / "rasa.log").read_bytes()  # type: ignore[operator]
    assert log.count(RASA_READY) == 2  # wait_ready returned only after both


def test_concurrent_messages_of_one_conversation_run_one_turn_at_a_time(stack: Stack) -> None:
    # Each message goes on its own connection (urllib), so both workers take some of them at once.
    chats = [Chat(stack.settings.rasa_url) for _ in range(6)]
    for chat in chats[1:]:
        chat.sender = chats[0].sender
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda c: c.say("i get so jealous when she texts her ex"), chats))
    assert all(chat.text for chat in chats)
    stored = turns(tracker_events(stack.settings.tracker_db, chats[0].sender))
    assert len(stored) == 6 and all(turn[-1] == "action_listen" for turn in stored)


def test_a_conversation_keeps_its_state_whichever_worker_takes_each_message(chat: Chat) -> None:
    chat.say("you never listen to me")
    chat.say("yes")
    chat.say("I feel like you never listen to me")
    assert "Try once more" in chat.text
    chat.say("how am i doing?")
    assert "1 attempt" in chat.text


async def _held_per_worker(stack: Stack, rounds: int = 4, clients: int = 20) -> list[int]:
    """Send `rounds` waves of `clients` messages at once on kept-alive connections (as the benchmark and
    the page server keep them); then count the connections each worker holds while the client keeps them."""
    url = f"{stack.settings.rasa_url}/webhooks/rest/webhook"
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=clients)) as session:

        async def say(sender: str) -> None:
            async with session.post(url, json={"sender": sender, "message": "hi"}) as response:
                assert response.status == 200 and await response.json()

        for _ in range(rounds):
            await asyncio.gather(*(say(f"balance{i}") for i in range(clients)))
        await asyncio.sleep(0.5)  # the handed-back connections close
        port = int(stack.settings.rasa_url.rsplit(":", 1)[1])
        return [sum(c.status == psutil.CONN_ESTABLISHED and c.laddr.port == port for c in worker.net_connections())
                for worker in psutil.Process(stack.pids()["rasa"]).children()]


def test_kept_alive_connections_end_up_even_between_the_workers(stack: Stack) -> None:
    held = asyncio.run(_held_per_worker(stack))
    assert len(held) == 2 and min(held) > 0
    assert max(held) - min(held) <= SLACK  # without the balance: 20 and 0, 14 and 6 seen here
