"""The SQL tracker store, plus the two ways a conversation is deleted: on request and after retention.

endpoints.yml names this class, so `make serve` (SQLite) and the scale profile (PostgreSQL) both use it.
- "Forget me": when the turn that just ran includes `action_forget_me` (after the person confirmed), the
  conversation's events are deleted instead of saved; the next message starts a new conversation.
- Retention: `purge(days)` deletes every conversation whose newest event is older than that
  (`make purge`, see bot/privacy.py).
"""

from __future__ import annotations

import time
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import func

FORGET_ACTION = "action_forget_me"


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    """Write-ahead logging with `synchronous=NORMAL`: a commit no longer waits for the disk (it cost 4-5 ms
    of each message). A crash of the bot loses nothing; only a power cut or OS crash can lose the last
    moments of conversations, never corrupt the file."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def asked_to_forget(tracker: DialogueStateTracker) -> bool:
    """Whether the last turn (the events since the person's last message) ran the forget action."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name == FORGET_ACTION:
            return True
    return False


class PrivateSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that can delete a conversation, or every conversation past its retention."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            sqlalchemy_event.listen(self.engine, "connect", _sqlite_pragmas)

    async def save(self, tracker: DialogueStateTracker) -> None:
        if asked_to_forget(tracker):
            self.forget(tracker.sender_id)
        else:
            await super().save(tracker)

    def forget(self, sender_id: str) -> int:
        """Delete every stored event of one conversation; returns how many were deleted."""
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
        return deleted

    def purge(self, days: float) -> int:
        """Delete conversations whose newest event is older than `days`; returns how many."""
        cutoff = time.time() - days * 86400
        with self.session_scope() as session:
            stale = (session.query(self.SQLEvent.sender_id)
                     .group_by(self.SQLEvent.sender_id)
                     .having(func.max(self.SQLEvent.timestamp) < cutoff))
            senders = [sender for (sender,) in stale.all()]
            for sender in senders:
                session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender).delete()
            session.commit()
        return len(senders)
