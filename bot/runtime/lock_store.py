"""Lock stores: each conversation's turns run one at a time, even when several Rasa processes serve it.

`SQLiteLockStore` (endpoints.yml): the Sanic workers of one Rasa server, on one machine, share the ticket
locks through the SQLite file that already holds the conversations. Every read-modify-write of a lock is
one `BEGIN IMMEDIATE` transaction, which SQLite runs one at a time across processes, so two workers never
issue the same ticket. Rasa's own in-memory store is per process, and Rasa refuses more than one worker
with it.

`AtomicRedisLockStore` (endpoints.scale.yml): Rasa's Redis lock store, made safe when several Rasa servers
take messages of one conversation at once. Rasa 3.6 changes its ticket lock with read, modify, write on one
Redis key, with nothing in between to stop another server doing the same: two servers that issue a ticket
at the same moment can both overwrite the other's ticket, process the conversation at the same time and
lose events (tests/scale caught it: 6 of 8 concurrent turns stored). Here every read-modify-write of a
conversation's lock runs under a short Redis mutex (redis-py's `Lock`: SET NX with an expiry, released by a
script that checks its token), so ticket numbers are issued and retired one at a time across all servers.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

GUARD_SECONDS = 5  # far longer than a few Redis round trips; expires on its own if a server dies holding it
BUSY_SECONDS = 5.0  # how long a worker waits for another's lock transaction (each takes well under 1 ms)


class SQLiteLockStore(LockStore):
    """Ticket locks in a table of a local SQLite file. A lock lives only while a turn of its conversation
    runs or waits (Rasa deletes it when the last ticket is done); a worker that dies mid-turn leaves an
    expired ticket, which the next turn of that conversation clears."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        """Rasa builds custom lock stores from their endpoint config: `db` is the SQLite file's path."""
        super().__init__()
        self.path = str(endpoint_config.kwargs["db"])
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._depth = 0  # transactions this process has open now (the methods below nest)

    @property
    def db(self) -> sqlite3.Connection:
        """This process's connection, opened on first use (a forked worker never uses its parent's)."""
        if self._connection is None or self._pid != os.getpid():
            connection = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("CREATE TABLE IF NOT EXISTS conversation_locks "
                               "(conversation_id TEXT PRIMARY KEY, lock TEXT NOT NULL)")
            self._connection, self._pid, self._depth = connection, os.getpid(), 0
        return self._connection

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction around the outermost call; the calls it makes join it."""
        if self._depth:
            yield
            return
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        self._depth += 1
        try:
            yield
        except BaseException:
            db.execute("ROLLBACK")
            raise
        else:
            db.execute("COMMIT")
        finally:
            self._depth -= 1

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        row = self.db.execute("SELECT lock FROM conversation_locks WHERE conversation_id = ?",
                              (conversation_id,)).fetchone()
        return TicketLock.from_dict(json.loads(row[0])) if row else None

    def delete_lock(self, conversation_id: str) -> None:
        deleted = self.db.execute("DELETE FROM conversation_locks WHERE conversation_id = ?", (conversation_id,))
        self._log_deletion(conversation_id, deleted.rowcount > 0)

    def save_lock(self, lock: TicketLock) -> None:
        self.db.execute("INSERT OR REPLACE INTO conversation_locks (conversation_id, lock) VALUES (?, ?)",
                        (lock.conversation_id, lock.dumps()))

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._transaction():
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        with self._transaction():
            super().update_lock(conversation_id)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        with self._transaction():
            super().finish_serving(conversation_id, ticket_number)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        with self._transaction():
            super().cleanup(conversation_id, ticket_number)


class AtomicRedisLockStore(RedisLockStore):

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        """Rasa builds custom lock stores from their endpoint config; the keys are RedisLockStore's."""
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)
        self._held: set[str] = set()  # guards this process holds now (the methods below nest)

    @contextmanager
    def _guard(self, conversation_id: str) -> Iterator[None]:
        if conversation_id in self._held:
            with nullcontext():
                yield
            return
        with self.red.lock(f"{self.key_prefix}guard:{conversation_id}", timeout=GUARD_SECONDS,
                           blocking_timeout=GUARD_SECONDS):
            self._held.add(conversation_id)
            try:
                yield
            finally:
                self._held.discard(conversation_id)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._guard(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        with self._guard(conversation_id):
            super().update_lock(conversation_id)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        with self._guard(conversation_id):
            super().finish_serving(conversation_id, ticket_number)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        with self._guard(conversation_id):
            super().cleanup(conversation_id, ticket_number)
