"""Start the real stack for tests and talk to it over the REST channel, as a person's messages would."""

from __future__ import annotations

import json
import sqlite3
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List


def post_json(url: str, payload: Any, timeout: float = 30.0) -> Any:
    request = urllib.request.Request(url, data=json.dumps(payload).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"null")


@dataclass
class Chat:
    """One conversation with the running bot over REST; keeps what the bot said at each turn."""

    rasa_url: str
    sender: str = field(default_factory=lambda: f"test-{uuid.uuid4().hex[:12]}")
    last: List[Dict[str, Any]] = field(default_factory=list)

    def say(self, message: str) -> List[Dict[str, Any]]:
        """Send one message; return the bot's messages (each with "text" and maybe "buttons")."""
        self.last = post_json(f"{self.rasa_url}/webhooks/rest/webhook",
                              {"sender": self.sender, "message": message})
        return self.last

    @property
    def text(self) -> str:
        """Everything the bot said in its last turn, as one string."""
        return "\n".join(m.get("text", "") for m in self.last)

    @property
    def buttons(self) -> List[str]:
        return [b["title"] for m in self.last for b in m.get("buttons", [])]

    def tap(self, title: str) -> List[Dict[str, Any]]:
        """Tap a button of the last turn, as the widget would: send its payload."""
        for message in self.last:
            for button in message.get("buttons", []):
                if button["title"] == title:
                    return self.say(button["payload"])
        raise AssertionError(f"no button {title!r} in {self.buttons}")


def tracker_events(db: Path, sender: str) -> List[Dict[str, Any]]:
    """The events stored for one conversation in the SQLite tracker store, oldest first."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()
    return [json.loads(data) for (data,) in rows]


def turns(events: List[Dict[str, Any]]) -> List[List[str]]:
    """The action names of each turn (after each user message), from a conversation's stored events;
    fails if a turn began before the one before it had ended with action_listen (two turns interleaved)."""
    found: List[List[str]] = []
    for event in events:
        if event.get("event") == "user":
            assert not found or found[-1][-1:] == ["action_listen"], "two turns interleaved"
            found.append([])
        elif event.get("event") == "action" and found:
            found[-1].append(event["name"])
    return found
