"""bot/runtime/worker_balance.py: each Sanic worker sees every other worker's connection count through memory
shared across the fork, and a worker holding more than its share hands connections back after responses."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import time
from typing import Any

import aiohttp
import pytest
from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, text

from bot.runtime import worker_balance
from bot.runtime.worker_balance import SLACK, WorkerConnections
from bot.tools.serve import free_port


@pytest.fixture(autouse=True)
def _sanic_test_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sanic 21 rewrites its request handler once per process unless in test mode: two test servers."""
    monkeypatch.setattr(Sanic, "test_mode", True)


def _other_worker(table: WorkerConnections, connections: int, ready: Any, stop: Any) -> None:
    table.join()
    for i in range(connections):
        table.opened(("connection", i))
    ready.set()
    stop.wait(30)
    table.leave()


def test_workers_forked_after_the_table_was_made_see_each_others_counts() -> None:
    table = WorkerConnections()
    fork = multiprocessing.get_context("fork")
    ready, stop = fork.Event(), fork.Event()
    child = fork.Process(target=_other_worker, args=(table, 4, ready, stop))
    child.start()
    try:
        assert ready.wait(30)
        table.join()
        assert table.least_elsewhere() == 4
        for i in range(4 + SLACK + 1):
            table.opened(("mine", i))
        assert table.hand_back(("mine", 0))  # 6 held, the other holds 4: one too many
        assert not table.hand_back(("mine", 0))  # one decision per connection
        assert not table.hand_back(("mine", 1))  # 5 kept is within the slack
    finally:
        stop.set()
        child.join(30)
    assert table.least_elsewhere() is None  # the other worker left


def test_a_dead_workers_slot_is_ignored_and_taken_again() -> None:
    table = WorkerConnections(slots=2)
    fork = multiprocessing.get_context("fork")
    child = fork.Process(target=table.join)  # joins, then dies without leaving
    child.start()
    child.join(30)
    table.join()
    assert table.least_elsewhere() is None
    newcomer = fork.Process(target=table.join)  # the only other slot is the dead worker's
    newcomer.start()
    newcomer.join(30)
    assert newcomer.exitcode == 0


def test_a_worker_that_died_unreaped_is_not_counted() -> None:
    """A dead worker stays a zombie until the parent reaps it; its last count must not keep the others
    handing connections back."""
    table = WorkerConnections()
    fork = multiprocessing.get_context("fork")
    ready, stop = fork.Event(), fork.Event()
    child = fork.Process(target=_other_worker, args=(table, 0, ready, stop))
    child.start()
    assert ready.wait(30)
    table.join()
    assert table.least_elsewhere() == 0
    os.kill(child.pid, signal.SIGKILL)  # dies holding its slot; not joined, so not reaped
    deadline = time.monotonic() + 10
    while table.least_elsewhere() is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert table.least_elsewhere() is None
    child.join(30)


def test_a_lone_worker_keeps_every_connection() -> None:
    table = WorkerConnections()
    table.join()
    for i in range(20):
        table.opened(i)
    assert not any(table.hand_back(i) for i in range(20))


async def _serve_three_at_once(table: WorkerConnections) -> list[str]:
    """Three requests on three kept-alive connections, answered once all three have arrived; returns each
    response's Connection header."""
    app = Sanic(f"balance_{os.getpid()}_{id(table)}")
    blueprint = Blueprint("three")
    arrived: list[int] = []
    all_in = asyncio.Event()

    @blueprint.post("/")
    async def answer(_request: Request) -> HTTPResponse:
        arrived.append(1)
        if len(arrived) == 3:
            all_in.set()
        await all_in.wait()
        return text("ok")

    app.blueprint(worker_balance.balanced(blueprint))
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    assert server is not None
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=3)) as session:

            async def post() -> str:
                async with session.post(f"http://127.0.0.1:{port}/", data="hi") as response:
                    await response.text()
                    return response.headers["Connection"]

            headers = await asyncio.gather(*(post() for _ in range(3)))
        await asyncio.sleep(0.2)  # let the server see the closed connections
        return headers
    finally:
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()


def test_a_worker_above_its_share_answers_connection_close_until_it_is_even(
        monkeypatch: pytest.MonkeyPatch) -> None:
    table = WorkerConnections()
    table._pids[1], table._counts[1] = os.getppid(), 0  # another live worker, holding nothing
    monkeypatch.setattr(worker_balance, "CONNECTIONS", table)
    headers = asyncio.run(_serve_three_at_once(table))
    assert sorted(headers) == ["close", "close", "keep-alive"]  # 3 held: two handed back, one kept
    assert table._counts[table.slot or 0] == 0  # the server closed its connections as it stopped


def test_a_worker_within_its_share_keeps_its_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    table = WorkerConnections()
    table._pids[1], table._counts[1] = os.getppid(), 3
    monkeypatch.setattr(worker_balance, "CONNECTIONS", table)
    assert asyncio.run(_serve_three_at_once(table)) == ["keep-alive"] * 3
