"""Rasa's Redis lock store, made safe when several Rasa servers take messages of one conversation at once.

Rasa 3.6 changes its ticket lock with read, modify, write on one Redis key, with nothing in between to stop
another server doing the same: two servers that issue a ticket at the same moment can both overwrite the
other's ticket, process the conversation at the same time and lose events (tests/scale caught it: 6 of 8
concurrent turns stored). Here every read-modify-write of a conversation's lock runs under a short Redis
mutex (redis-py's `Lock`: SET NX with an expiry, released by a script that checks its token), so ticket
numbers are issued and retired one at a time across all servers. endpoints.scale.yml names this class.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

GUARD_SECONDS = 5  # far longer than a few Redis round trips; expires on its own if a server dies holding it


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
