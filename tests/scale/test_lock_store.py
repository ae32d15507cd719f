"""bot/runtime/lock_store.py against a real Redis: tickets issued from many clients at once are all distinct."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from rasa.utils.endpoints import EndpointConfig

from bot.runtime.lock_store import AtomicRedisLockStore
from bot.tools.serve import free_port

pytestmark = pytest.mark.scale


@pytest.fixture(scope="module")
def redis_port() -> Iterator[int]:
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is missing: run `make scale-deps`")
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
                              stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    yield port
    server.terminate()
    server.wait(10)


def store(port: int) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(EndpointConfig(url="127.0.0.1", port=port, key_prefix="test"))


def test_concurrent_tickets_from_separate_stores_are_all_distinct(redis_port: int) -> None:
    stores = [store(redis_port) for _ in range(8)]  # as if eight Rasa servers shared one Redis

    def issue(index: int) -> list[int]:
        return [stores[index].issue_ticket("conversation-1") for _ in range(25)]

    with ThreadPoolExecutor(8) as pool:
        tickets = [t for batch in pool.map(issue, range(8)) for t in batch]
    assert len(set(tickets)) == len(tickets) == 200
    lock = stores[0].get_lock("conversation-1")
    assert lock is not None and len(lock.tickets) == 200


def test_cleanup_retires_tickets_and_deletes_the_lock_when_nobody_waits(redis_port: int) -> None:
    lock_store = store(redis_port)
    first, second = lock_store.issue_ticket("c2"), lock_store.issue_ticket("c2")
    lock_store.cleanup("c2", first)
    assert lock_store.get_lock("c2") is not None  # the second ticket still waits
    lock_store.cleanup("c2", second)
    assert lock_store.get_lock("c2") is None
