"""bot/runtime/lock_store.py's SQLite lock store: what the Rasa server's Sanic workers share so that the turns of one
conversation never run at the same time (endpoints.yml)."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from pathlib import Path

import pytest
import yaml
from rasa.core.lock_store import LockStore
from rasa.core.utils import number_of_sanic_workers
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config

from bot.paths import ROOT
from bot.runtime.lock_store import SQLiteLockStore


def store(db: Path) -> SQLiteLockStore:
    return SQLiteLockStore(EndpointConfig(type="bot.runtime.lock_store.SQLiteLockStore", db=str(db)))


def _issue(db: str, count: int, results: multiprocessing.Queue) -> None:
    """In a separate process, as a Sanic worker would: its own store and connection on the same file."""
    lock_store = store(Path(db))
    results.put([lock_store.issue_ticket("conversation-1") for _ in range(count)])


def test_tickets_issued_by_four_processes_at_once_are_all_distinct(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    assert store(db).db is not None  # opening it creates the table before the workers race
    context = multiprocessing.get_context("fork")
    results: multiprocessing.Queue = context.Queue()
    workers = [context.Process(target=_issue, args=(str(db), 50, results)) for _ in range(4)]
    for worker in workers:
        worker.start()
    tickets = [ticket for _ in workers for ticket in results.get(timeout=60)]
    for worker in workers:
        worker.join(30)
    assert sorted(tickets) == list(range(200))
    lock = store(db).get_lock("conversation-1")
    assert lock is not None and len(lock.tickets) == 200


def test_a_second_turn_waits_for_the_first_across_stores(tmp_path: Path) -> None:
    first_worker, second_worker = store(tmp_path / "t.db"), store(tmp_path / "t.db")
    order: list[str] = []

    async def turn(lock_store: SQLiteLockStore, name: str, delay: float) -> None:
        await asyncio.sleep(delay)
        async with lock_store.lock("c1", wait_time_in_seconds=0.05):
            order.append(f"{name} starts")
            await asyncio.sleep(0.3)
            order.append(f"{name} ends")

    async def both() -> None:
        await asyncio.gather(turn(first_worker, "first", 0), turn(second_worker, "second", 0.1))

    asyncio.run(both())
    assert order == ["first starts", "first ends", "second starts", "second ends"]
    assert first_worker.get_lock("c1") is None  # deleted once nobody waits


def test_cleanup_retires_tickets_and_deletes_the_lock_when_nobody_waits(tmp_path: Path) -> None:
    lock_store = store(tmp_path / "t.db")
    first, second = lock_store.issue_ticket("c2"), lock_store.issue_ticket("c2")
    lock_store.cleanup("c2", first)
    assert lock_store.get_lock("c2") is not None  # the second ticket still waits
    lock_store.cleanup("c2", second)
    assert lock_store.get_lock("c2") is None


def test_a_failed_update_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lock_store = store(tmp_path / "t.db")
    ticket = lock_store.issue_ticket("c3")

    def fail(_lock: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(lock_store, "save_lock", fail)
    with pytest.raises(Exception, match="disk full"):
        lock_store.issue_ticket("c3")
    monkeypatch.undo()
    assert [t.number for t in lock_store.get_lock("c3").tickets] == [ticket]
    assert lock_store.issue_ticket("c3") == ticket + 1  # the store still works after the rollback


def test_a_forked_worker_opens_its_own_connection(tmp_path: Path) -> None:
    lock_store = store(tmp_path / "t.db")
    parents = lock_store.db
    context = multiprocessing.get_context("fork")
    results: multiprocessing.Queue = context.Queue()

    def child() -> None:
        results.put(lock_store.db is not parents and lock_store._pid == os.getpid())

    worker = context.Process(target=child)
    worker.start()
    assert results.get(timeout=30) is True
    worker.join(30)


def test_endpoints_yml_gives_rasa_this_store_and_rasa_then_allows_several_workers(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "tracker.db"))
    monkeypatch.setenv("ACTION_PORT", "5055")
    monkeypatch.setenv("SANIC_WORKERS", "2")
    endpoint = read_endpoint_config(str(ROOT / "endpoints.yml"), "lock_store")
    assert yaml.safe_load((ROOT / "endpoints.yml").read_text())["lock_store"]["db"] == "${TRACKER_DB}"
    created = LockStore.create(endpoint)
    assert isinstance(created, SQLiteLockStore) and created.path == str(tmp_path / "tracker.db")
    assert number_of_sanic_workers(endpoint) == 2
