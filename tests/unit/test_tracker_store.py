"""bot/tracker_store.py and bot/privacy.py: forgetting one conversation, and purging old ones."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.paths import ROOT
from bot.tracker_store import PrivateSQLTrackerStore, asked_to_forget

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
    done = subprocess.run([sys.executable, "-m", "bot.privacy", "purge", "--days", "30"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Deleted 1 conversation" in done.stdout
    assert asyncio.run(store(db_path).retrieve("old")) is None


@pytest.mark.parametrize("days", ["0", "-3"])
def test_purge_refuses_a_retention_of_zero_or_less(days: str) -> None:
    done = subprocess.run([sys.executable, "-m", "bot.privacy", "purge", "--days", days], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
