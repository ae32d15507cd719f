"""The reply format shared by every capability: messages with optional buttons, plus slot updates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Sequence, Tuple


@dataclass(frozen=True)
class Button:
    """A quick reply; the payload is a Rasa intent ("/request_strategy") so a tap skips NLU."""

    title: str
    payload: str

    def as_dict(self) -> Dict[str, str]:
        return {"title": self.title, "payload": self.payload}


@dataclass
class Reply:
    """What one turn sends: messages in order, the slot values that change, and what runs next.

    `next_action` lets an answer start something that has its own turns, such as a form: a typed "yes"
    to "one more sentence?" starts the exercise again (bot/dialogue/answers.py).
    """

    messages: List[Tuple[str, Tuple[Button, ...]]] = field(default_factory=list)
    slots: Dict[str, Any] = field(default_factory=dict)
    next_action: str | None = None

    def say(self, text: str, buttons: Sequence[Button] = ()) -> Reply:
        self.messages.append((text, tuple(buttons)))
        return self

    def set(self, **slots: Any) -> Reply:
        self.slots.update(slots)
        return self

    def then(self, action: str) -> Reply:
        self.next_action = action
        return self

    @property
    def texts(self) -> List[str]:
        return [text for text, _ in self.messages]

    @property
    def buttons(self) -> List[Button]:
        return [button for _, buttons in self.messages for button in buttons]


# The yes/no question a reply leaves open, kept in the slot `pending_offer` (see answers.py).
ASKS_ANOTHER_IDEA = "another_idea"
ASKS_PROFESSIONAL_HELP = "professional_help"
ASKS_ARE_YOU_SAFE = "are_you_safe"
ASKS_CHECK_IN = "check_in"
ASKS_ONE_MORE_SENTENCE = "one_more_sentence"
