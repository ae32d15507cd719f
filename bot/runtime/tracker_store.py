"""The SQL tracker store, plus the two ways a conversation is deleted: on request and after retention.

endpoints.yml names this class, so `make serve` (SQLite) and the scale profile (PostgreSQL) both use it.
- "Forget me": when the turn that just ran includes `bot.privacy.FORGET_ACTION` (after the person
  confirmed), the conversation's events are deleted instead of saved; the next message starts a new one.
- Retention: `purge(days)` deletes every conversation whose newest event is older than that
  (`make purge`, see bot/tools/purge.py).

Speed (README, "Measurements"): Rasa reads every event of the conversation back through the ORM on each
message, rebuilds the tracker from them, and counts them again before each save; under the benchmark load
that was a quarter of the Rasa server's time. This store remembers the tracker it last stored for recent
conversations and hands it out again only if nothing was added to it without being stored (a turn that
failed half-way) and the database still ends with the same row, same id and same text (one indexed
query, when the turn begins and again when it is saved), so a write by another server, a purge or a
forget in another process is always seen. Turns another process added (the other Sanic worker) are read
and applied to it; anything else means reading the conversation again. SQLite connections are pooled
instead of opened (and set up) for every query, and new events are written with plain INSERTs, not
through the ORM.
"""

from __future__ import annotations

import itertools
import json
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, UserUttered, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import func
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool

from bot.privacy import FORGET_ACTION
from bot.runtime import json_text
from bot.runtime.recent import keep

RECENT_CONVERSATIONS = 200  # kept in memory, least recently used dropped first
RECENT_IDLE_SECONDS = 600.0  # and none idle for longer


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


@dataclass
class Remembered:
    """A conversation as last stored: the tracker object, how many of its events are stored, and the
    database's newest event row for it then: its id and its stored text. SQLite gives the ids of deleted
    rows out again (Rasa's table has no AUTOINCREMENT), so after a forget a new conversation can end at
    the same id, or pass it; the text tells the rows apart (it holds the event's timestamp)."""

    newest_id: int
    tracker: DialogueStateTracker
    stored: int
    newest_data: str


class RecentConversations:
    """The trackers of the most recently active conversations: at most `size`, none idle longer than
    `idle_seconds` (so a conversation forgotten or purged through another server or process leaves this
    one's memory within that time too)."""

    def __init__(self, size: int = RECENT_CONVERSATIONS, idle_seconds: float = RECENT_IDLE_SECONDS) -> None:
        self.size, self.idle_seconds = size, idle_seconds
        self._entries: OrderedDict[str, tuple[float, Remembered]] = OrderedDict()  # least recently used first

    def _drop_idle(self) -> None:
        cutoff = time.monotonic() - self.idle_seconds
        while self._entries and next(iter(self._entries.values()))[0] < cutoff:
            self._entries.popitem(last=False)

    def get(self, sender_id: str) -> Remembered | None:
        self._drop_idle()
        found = self._entries.get(sender_id)
        if found is None:
            return None
        self._entries[sender_id] = (time.monotonic(), found[1])
        self._entries.move_to_end(sender_id)
        return found[1]

    def put(self, sender_id: str, entry: Remembered) -> None:
        keep(self._entries, sender_id, (time.monotonic(), entry), self.size)
        self._drop_idle()

    def drop(self, sender_id: str) -> None:
        self._entries.pop(sender_id, None)


class PrivateSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that can delete a conversation, or every conversation past its retention."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            # SQLAlchemy 1.4 opens a new SQLite connection for every session (NullPool); one server process
            # runs all its queries on the event loop's thread, so a small pool is safe.
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, poolclass=QueuePool, pool_size=2,
                                           connect_args={"check_same_thread": False})
            sqlalchemy_event.listen(self.engine, "connect", _sqlite_pragmas)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.recent = RecentConversations()
        # Built once: composing the same ORM query for every read cost more than running it.
        table = self.SQLEvent.__table__
        sender = table.c.sender_id == sa.bindparam("sender")
        self._newest_query = sa.select(table.c.id, table.c.data).where(sender).order_by(table.c.id.desc()).limit(1)
        self._rows_from_query = (sa.select(table.c.id, table.c.data, table.c.type_name)
                                 .where(sender, table.c.id >= sa.bindparam("first")).order_by(table.c.id))
        self._insert = table.insert()

    def _remembered(self, connection: Connection, sender_id: str) -> Remembered | None:
        """The remembered conversation, if the database still ends with the row it ended with when it was
        stored, or brought up to date if another server process has only added turns to it since."""
        entry = self.recent.get(sender_id)
        if entry is None:
            return None
        newest = connection.execute(self._newest_query, {"sender": sender_id}).first()
        if newest is not None and (newest.id, newest.data) == (entry.newest_id, entry.newest_data):
            return entry
        caught_up = self._caught_up(connection, entry) if newest is not None else None
        if caught_up is None:
            self.recent.drop(sender_id)
        else:
            self.recent.put(sender_id, caught_up)
        return caught_up

    def _caught_up(self, connection: Connection, entry: Remembered) -> Remembered | None:
        """`entry` with the events stored after it applied as Rasa applies stored events (`update`), or
        None when they are not plain additions. With two Sanic workers a conversation's turns alternate
        between them, and each read of a whole conversation (rebuilt event by event) cost a tenth of a
        worker's time. The lock store runs one turn of a conversation at a time, so what another process
        stored since is whole turns. They are plain additions only if the remembered newest row is still
        there, unchanged (a forget or purge deletes it), and none of the rows after it begins a session
        (Rasa then reads only the new session)."""
        tracker = entry.tracker
        if len(tracker.events) != entry.stored:
            return None
        rows = connection.execute(self._rows_from_query, {"sender": tracker.sender_id, "first": entry.newest_id}).all()
        if not rows or (rows[0].id, rows[0].data) != (entry.newest_id, entry.newest_data):
            return None
        added = rows[1:]
        if not added or any(row.type_name == SessionStarted.type_name for row in added):
            return None
        for event in deserialise_events([json.loads(row.data) for row in added]):
            tracker.update(event)
        return Remembered(added[-1].id, tracker, len(tracker.events), added[-1].data)

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool
                        ) -> DialogueStateTracker | None:
        if fetch_events_from_all_sessions:
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        with self.engine.connect() as connection:  # a plain connection: an ORM session cost twice as much
            entry = self._remembered(connection, sender_id)
        if entry is not None and len(entry.tracker.events) == entry.stored:
            return entry.tracker  # exactly what is stored: no turn added to it without saving
        with self.session_scope() as session:
            rows = (self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
                    .with_entities(self.SQLEvent.id, self.SQLEvent.data).all())
        if not self.domain or not rows:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, [json.loads(row.data) for row in rows],
                                                 self.domain.slots)
        self.recent.put(sender_id, Remembered(rows[-1].id, tracker, len(tracker.events), rows[-1].data))
        return tracker

    @staticmethod
    def _row(sender_id: str, event: Event) -> dict[str, Any]:
        """One events-table row, with the same columns Rasa's SQLTrackerStore writes."""
        data = event.as_dict()
        return {"sender_id": sender_id, "type_name": event.type_name, "timestamp": data.get("timestamp"),
                "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                "action_name": data.get("name"), "data": json_text.dumps(data)}

    def _stored_count(self, connection: Connection, sender_id: str) -> int:
        """How many events of the conversation's latest session are stored, as Rasa counts them. A new
        conversation's first turn is the usual case here, and it has none: one indexed query says so,
        where Rasa's count (a sub-query through the ORM) took 2% of a Sanic worker's time under the
        benchmark load, on one message in fifteen."""
        if connection.execute(self._newest_query, {"sender": sender_id}).first() is None:
            return 0
        with Session(bind=connection) as session:  # Rasa's own query, inside the save's transaction
            return self._event_query(session, sender_id, fetch_events_from_all_sessions=False).count()

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the events not stored yet (or delete the conversation, after a confirmed "forget me")."""
        sender_id = tracker.sender_id
        if asked_to_forget(tracker):
            self.forget(sender_id)
            return
        await self.stream_events(tracker)
        # One transaction on a plain connection, committed when the block ends: through an ORM session a
        # turn's save took about 0.65 ms here, on the connection 0.45 ms (one save per message).
        with self.engine.begin() as connection:
            # Checked again, not only when the turn began: a turn can outlive its lock (Rasa's ticket expires
            # after a minute; an action call may wait five), and the next turn, on the other worker, may
            # have been stored meanwhile.
            entry = self._remembered(connection, sender_id)
            ours = entry is not None and entry.tracker is tracker
            stored = entry.stored if ours else self._stored_count(connection, sender_id)  # type: ignore[union-attr]
            rows = [self._row(sender_id, event) for event in itertools.islice(tracker.events, stored, None)]
            newest = (entry.newest_id, entry.newest_data) if ours else None  # type: ignore[union-attr]
            if rows:  # no ORM objects; the last row alone, so its id is this write's own, not a later one
                if len(rows) > 1:
                    connection.execute(self._insert, rows[:-1])
                newest = (connection.execute(self._insert, rows[-1]).inserted_primary_key[0], rows[-1]["data"])
            if ours and newest and all(row["type_name"] != SessionStarted.type_name for row in rows):
                self.recent.put(sender_id, Remembered(newest[0], tracker, len(tracker.events), newest[1]))
            else:
                self.recent.drop(sender_id)  # a new session, or a tracker from elsewhere: read it back next

    def forget(self, sender_id: str) -> int:
        """Delete every stored event of one conversation; returns how many were deleted."""
        self.recent.drop(sender_id)
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
                self.recent.drop(sender)
            session.commit()
        return len(senders)
