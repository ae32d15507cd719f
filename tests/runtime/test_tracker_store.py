"""bot/runtime/tracker_store.py and bot/tools/purge.py: forgetting, purging, and reading back from memory exactly what
Rasa's own SQL store would read."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.paths import ROOT
from bot.runtime.tracker_store import PrivateSQLTrackerStore, RecentConversations, Remembered, asked_to_forget

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def store(db: Path) -> PrivateSQLTrackerStore:
    return PrivateSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))


def conversation(sender: str, timestamp: float, *extra: object) -> DialogueStateTracker:
    events = [UserUttered("i feel jealous", {"name": "express_jealousy"}, timestamp=timestamp),
              ActionExecuted("action_suggest_strategy", timestamp=timestamp),
              BotUttered("a strategy", timestamp=timestamp), *extra]
    return DialogueStateTracker.from_events(sender, events, DOMAIN.slots)


def test_forget_me_deletes_the_conversation_instead_of_saving_it(tmp_path: Path) -> None:
    db = store(tmp_path / "t.db")
    asyncio.run(db.save(conversation("keep", time.time())))
    asyncio.run(db.save(conversation("forget", time.time())))
    confirmed = conversation("forget", time.time(), UserUttered("yes", {"name": "affirm"}),
                             ActionExecuted("action_forget_me"), BotUttered("Done."))
    assert asked_to_forget(confirmed)
    asyncio.run(db.save(confirmed))
    assert asyncio.run(db.retrieve("forget")) is None
    assert asyncio.run(db.retrieve("keep")) is not None


def test_an_older_forget_action_does_not_delete_later_turns() -> None:
    later = conversation("a", time.time(), ActionExecuted("action_forget_me"),
                         UserUttered("hi again", {"name": "greet"}), ActionExecuted("utter_greet"))
    assert not asked_to_forget(later)


def test_purge_removes_only_conversations_older_than_the_retention(tmp_path: Path) -> None:
    db = store(tmp_path / "t.db")
    asyncio.run(db.save(conversation("old", time.time() - 40 * 86400)))
    asyncio.run(db.save(conversation("recent", time.time() - 2 * 86400)))
    assert db.purge(30) == 1
    assert asyncio.run(db.retrieve("old")) is None
    assert asyncio.run(db.retrieve("recent")) is not None


def test_make_purge_command_uses_the_tracker_store_in_endpoints(tmp_path: Path) -> None:
    db_path = tmp_path / "t.db"
    db = store(db_path)
    asyncio.run(db.save(conversation("old", time.time() - 90 * 86400)))
    env = {**os.environ, "TRACKER_DB": str(db_path), "ACTION_PORT": "5055", "PYTHONWARNINGS": "ignore"}
    done = subprocess.run([sys.executable, "-m", "bot.tools.purge", "purge", "--days", "30"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Deleted 1 conversation" in done.stdout
    assert asyncio.run(store(db_path).retrieve("old")) is None


@pytest.mark.parametrize("days", ["0", "-3"])
def test_purge_refuses_a_retention_of_zero_or_less(days: str) -> None:
    done = subprocess.run([sys.executable, "-m", "bot.tools.purge", "purge", "--days", days], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2


def rasa_reads(db: Path, sender: str) -> list[dict] | None:
    """What Rasa's own SQLTrackerStore reads back from the same file: the reference for the cache."""
    tracker = asyncio.run(SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db)).retrieve(sender))
    return None if tracker is None else [e.as_dict() for e in tracker.events]


def reads(db: PrivateSQLTrackerStore, sender: str) -> list[dict] | None:
    tracker = asyncio.run(db.retrieve(sender))
    return None if tracker is None else [e.as_dict() for e in tracker.events]


def sql_run_by(db: PrivateSQLTrackerStore) -> list[str]:
    """The SQL statements the store runs from now on, in order (the list fills as they run)."""
    statements: list[str] = []
    sqlalchemy.event.listen(db.engine, "before_cursor_execute",
                            lambda _c, _cur, sql, *_a: statements.append(sql))
    return statements


def next_turn(db: PrivateSQLTrackerStore, sender: str, text: str, *extra: Event) -> None:
    tracker = asyncio.run(db.retrieve(sender))
    assert tracker is not None
    for event in (UserUttered(text, {"name": "express_jealousy"}), ActionExecuted("utter_ok"),
                  BotUttered("ok"), *extra):
        tracker.update(event)
    asyncio.run(db.save(tracker))


def test_remembered_conversations_read_back_exactly_what_rasa_stores(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    db = store(path)
    asyncio.run(db.save(conversation("a", time.time())))
    for turn in range(4):
        next_turn(db, "a", f"turn {turn}", SlotSet("theme", "jealousy"))
        assert db.recent.get("a") is not None  # later turns come from memory
        assert reads(db, "a") == rasa_reads(path, "a")
    assert len(reads(db, "a")) == 3 + 4 * 4


def test_a_turn_stored_by_another_server_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    first, second = store(path), store(path)
    asyncio.run(first.save(conversation("a", time.time())))
    next_turn(first, "a", "on the first server")
    next_turn(second, "a", "on the second server")
    assert [e["text"] for e in reads(first, "a") if e["event"] == "user"][-1] == "on the second server"
    next_turn(first, "a", "back on the first")
    assert reads(first, "a") == rasa_reads(path, "a")


def test_turns_another_server_added_are_applied_to_the_remembered_conversation(tmp_path: Path) -> None:
    """The other Sanic worker's turns are read and applied, not the whole conversation rebuilt."""
    path = tmp_path / "t.db"
    first, second = store(path), store(path)
    asyncio.run(first.save(conversation("a", time.time())))
    remembered = asyncio.run(first.retrieve("a"))
    next_turn(second, "a", "on the second server", SlotSet("current_theme", "jealousy"))
    next_turn(second, "a", "still on the second")
    caught_up = asyncio.run(first.retrieve("a"))
    assert caught_up is remembered
    assert caught_up.get_slot("current_theme") == "jealousy"
    assert reads(first, "a") == rasa_reads(path, "a")
    next_turn(first, "a", "back on the first")
    assert reads(second, "a") == rasa_reads(path, "a")


@pytest.mark.parametrize("stored_after", [False, True], ids=["ids-given-out-again", "higher-ids"])
def test_a_conversation_forgotten_and_begun_again_elsewhere_is_read_again(tmp_path: Path,
                                                                          stored_after: bool) -> None:
    """SQLite gives the ids of deleted rows out again: when the forgotten rows were the newest in the
    table, the new conversation reuses their ids and can end at or past the remembered one."""
    path = tmp_path / "t.db"
    first, second = store(path), store(path)
    asyncio.run(first.save(conversation("a", time.time(), SlotSet("current_theme", "jealousy"))))
    if stored_after:
        asyncio.run(first.save(conversation("b", time.time())))
    remembered = asyncio.run(first.retrieve("a"))
    second.forget("a")
    asyncio.run(second.save(DialogueStateTracker.from_events(
        "a", [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
              UserUttered("starting over", {"name": "greet"}), ActionExecuted("utter_greet"),
              BotUttered("hello again")], DOMAIN.slots)))
    again = asyncio.run(first.retrieve("a"))
    assert again is not remembered
    assert reads(first, "a") == rasa_reads(path, "a")
    assert again.get_slot("current_theme") is None


def test_a_new_session_another_server_began_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    first, second = store(path), store(path)
    asyncio.run(first.save(conversation("a", time.time() - 10)))
    remembered = asyncio.run(first.retrieve("a"))
    tracker = asyncio.run(second.retrieve("a"))
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    asyncio.run(second.save(tracker))
    again = asyncio.run(first.retrieve("a"))
    assert again is not remembered
    assert reads(first, "a") == rasa_reads(path, "a")
    assert len(reads(first, "a")) == 1  # the new session only


def test_a_forget_or_purge_in_another_process_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    server, other = store(path), store(path)
    for sender in ("forgotten", "purged"):
        asyncio.run(server.save(conversation(sender, time.time() - 40 * 86400)))
        assert reads(server, sender) is not None
    other.forget("forgotten")
    assert other.purge(30) == 1
    assert reads(server, "forgotten") is None
    assert reads(server, "purged") is None


def test_a_new_session_reads_back_only_the_new_session(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    db = store(path)
    asyncio.run(db.save(conversation("a", time.time() - 10)))
    next_turn(db, "a", "before the break")
    tracker = asyncio.run(db.retrieve("a"))
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    asyncio.run(db.save(tracker))
    assert db.recent.get("a") is None  # the next read decides what the new session holds
    next_turn(db, "a", "in the new session")
    assert reads(db, "a") == rasa_reads(path, "a")
    assert len(reads(db, "a")) == 1 + 3  # SessionStarted, then the last turn


def test_a_turn_that_failed_before_saving_is_not_read_back(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    db = store(path)
    asyncio.run(db.save(conversation("a", time.time())))
    next_turn(db, "a", "stored")
    half_done = asyncio.run(db.retrieve("a"))
    half_done.update(UserUttered("never stored", {"name": "greet"}))  # the turn fails here: no save
    again = asyncio.run(db.retrieve("a"))
    assert again is not half_done
    assert [e.as_dict() for e in again.events] == rasa_reads(path, "a")
    assert "never stored" not in str(rasa_reads(path, "a"))


def test_only_the_most_recent_conversations_stay_in_memory() -> None:
    recent = RecentConversations(size=2)
    for sender in ("a", "b", "c"):
        recent.put(sender, Remembered(1, DialogueStateTracker(sender, []), 0, ""))
    assert recent.get("a") is None and recent.get("b") is not None and recent.get("c") is not None


def test_idle_conversations_leave_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """So a conversation forgotten or purged through another server leaves this one's memory too."""
    now = [1000.0]
    monkeypatch.setattr("bot.runtime.tracker_store.time.monotonic", lambda: now[0])
    recent = RecentConversations(size=10, idle_seconds=600)
    recent.put("old", Remembered(1, DialogueStateTracker("old", []), 0, ""))
    now[0] += 400
    recent.put("newer", Remembered(1, DialogueStateTracker("newer", []), 0, ""))
    now[0] += 300
    assert recent.get("old") is None and recent.get("newer") is not None


def test_a_turn_stored_elsewhere_while_this_one_ran_is_seen_when_this_one_is_saved(tmp_path: Path) -> None:
    """A turn can outlive its lock (the ticket expires after a minute; an action call may wait five), and
    the next message's turn may then run on the other worker and be stored first."""
    path = tmp_path / "t.db"
    first, second = store(path), store(path)
    asyncio.run(first.save(conversation("a", time.time())))
    slow = asyncio.run(first.retrieve("a"))
    next_turn(second, "a", "meanwhile on the other worker")
    for event in (UserUttered("the slow turn", {"name": "greet"}), ActionExecuted("utter_ok"), BotUttered("ok")):
        slow.update(event)
    asyncio.run(first.save(slow))
    assert "meanwhile on the other worker" in str(reads(first, "a"))
    assert reads(first, "a") == rasa_reads(path, "a")


def test_a_remembered_turn_reads_the_newest_row_twice_and_writes_its_events(tmp_path: Path) -> None:
    """Nothing but the check (when the turn begins and when it is saved) and the new rows."""
    db = store(tmp_path / "t.db")
    asyncio.run(db.save(conversation("a", time.time())))
    next_turn(db, "a", "read back once")  # from here on the conversation is remembered
    statements = sql_run_by(db)
    next_turn(db, "a", "from memory")
    # the two checks, then the turn's events, the last alone
    assert [sql.split()[0].upper() for sql in statements] == ["SELECT", "SELECT", "INSERT", "INSERT"]
    assert reads(db, "a") == rasa_reads(tmp_path / "t.db", "a")


def test_a_new_conversation_is_counted_with_one_indexed_read(tmp_path: Path) -> None:
    """Nothing stored yet: the newest-row query says so, and Rasa's costlier count does not run."""
    db = store(tmp_path / "t.db")
    statements = sql_run_by(db)
    asyncio.run(db.save(conversation("new", time.time())))
    assert not any("count(" in sql.lower() for sql in statements)
    assert reads(db, "new") == rasa_reads(tmp_path / "t.db", "new")


def test_a_tracker_from_elsewhere_is_counted_as_rasa_counts_it(tmp_path: Path) -> None:
    """A tracker the store did not hand out (another store's, say) has its stored events counted, so only
    the events after them are written."""
    path = tmp_path / "t.db"
    first, second = store(path), store(path)
    asyncio.run(first.save(conversation("a", time.time())))
    elsewhere = asyncio.run(second.retrieve("a"))
    elsewhere.update(UserUttered("written once", {"name": "greet"}))
    second.recent.drop("a")
    asyncio.run(second.save(elsewhere))
    assert reads(first, "a") == rasa_reads(path, "a")
    stored = rasa_reads(path, "a")
    assert [e.get("text") for e in stored].count("written once") == 1
    assert len(stored) == 4
