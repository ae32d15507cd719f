"""Build rasa_sdk Trackers for action tests: the last message and the slots, nothing more."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Sequence

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.paths import ROOT

DOMAIN: Dict[str, Any] = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def initial_slots() -> Dict[str, Any]:
    """Every slot of the domain at its initial value, as a new conversation has them."""
    return {name: spec.get("initial_value") for name, spec in DOMAIN["slots"].items()}


def tracker(intent: str, text: str | None = None, entities: Sequence[Dict[str, Any]] = (),
            slots: Dict[str, Any] | None = None, active_loop: str | None = None,
            events: List[Dict[str, Any]] | None = None) -> Tracker:
    """A tracker whose last message has this intent, text and entities, with these slot values."""
    values = initial_slots()
    values.update(slots or {})
    message = {"intent": {"name": intent, "confidence": 1.0},
               "text": text if text is not None else f"/{intent}", "entities": list(entities)}
    return Tracker("test-user", values, message, events or [], False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def after_question(question: str | None, answer: str) -> list[dict[str, Any]]:
    """Events where the bot's previous turn left `question` open and the person then typed `answer`."""
    return [{"event": "user", "text": "earlier message"},
            {"event": "action", "name": "action_suggest_strategy"},
            {"event": "slot", "name": "pending_offer", "value": question},
            {"event": "action", "name": "action_listen"},
            {"event": "user", "text": answer}]


def entity(name: str, value: str, role: str | None = None) -> Dict[str, Any]:
    found = {"entity": name, "value": value}
    if role:
        found["role"] = role
    return found


def run_action(action: Any, tracker_: Tracker) -> tuple[List[Dict[str, Any]], CollectingDispatcher]:
    """Run one (async) action to completion; return its events and the dispatcher holding what it said."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker_, DOMAIN))
    return events, dispatcher


def slot_events(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    """SlotSet events as {slot: value}."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def said(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


def buttons(dispatcher: CollectingDispatcher) -> List[str]:
    return [b["title"] for m in dispatcher.messages for b in m.get("buttons", [])]
