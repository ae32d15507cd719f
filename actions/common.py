"""The two translations every action needs: tracker -> plain values, Reply -> Rasa messages and events."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue.reply import Reply


def utter(reply: Reply, dispatcher: CollectingDispatcher) -> Dict[str, Any]:
    """Utter the reply's messages in order; return its slot changes (what a form validator returns)."""
    for text, buttons in reply.messages:
        dispatcher.utter_message(text=text, buttons=[b.as_dict() for b in buttons])
    return dict(reply.slots)


def send(reply: Reply, dispatcher: CollectingDispatcher) -> List[Dict[str, Any]]:
    """Utter the reply's messages; return SlotSet events for its slot changes, then the action it starts."""
    events = [SlotSet(name, value) for name, value in utter(reply, dispatcher).items()]
    if reply.next_action:
        events.append(FollowupAction(reply.next_action))
    return events


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def latest_text(tracker: Tracker) -> str:
    """The person's last message; empty for a button tap (its text is the "/intent" payload)."""
    text = tracker.latest_message.get("text") or ""
    return "" if text.startswith("/") else text


def entity_values(tracker: Tracker, entity: str) -> List[Dict[str, Any]]:
    """Entities of one type in the last message, in the order they were found."""
    return [e for e in tracker.latest_message.get("entities", []) if e.get("entity") == entity]


def question_asked_last_turn(tracker: Tracker) -> str | None:
    """The yes/no question the bot's previous turn left open (the `pending_offer` it set), if any.

    Only a question from the turn right before this message counts, so a late "yes" answers nothing.
    """
    users_seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users_seen += 1
            if users_seen == 2:
                break
        elif users_seen == 1 and event.get("event") == "slot" and event.get("name") == "pending_offer":
            return event.get("value")
    return None


def country(tracker: Tracker) -> str | None:
    """The country named in this message, else the one named earlier in the conversation."""
    named = entity_values(tracker, "country")
    return named[-1]["value"] if named else tracker.get_slot("country")


class ReplyAction(Action, ABC):
    """An action whose whole job is one `Reply` computed from the tracker by code in `bot/dialogue/`.

    Subclasses set `action_name` and implement `reply`; sending it and setting its slots happens here once.
    (Abstract, so the action server does not register this class itself.)
    """

    action_name: str

    def name(self) -> str:
        return self.action_name

    @abstractmethod
    def reply(self, tracker: Tracker) -> Reply:
        """What to say, and which slots change."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        return send(self.reply(tracker), dispatcher)
