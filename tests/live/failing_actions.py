"""An action that fails on what the person wrote, for the log-privacy test (tests/live/test_reliability.py).

`int(text)` raises a ValueError whose message quotes the text, and the text is a local variable of the
failing frame: the two ways an exception carries a person's words into a log.
"""

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


class ActionFailOnText(Action):
    def name(self) -> str:
        return "action_fail_on_text"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        return [{"event": "slot", "name": "count", "value": int(text)}]
