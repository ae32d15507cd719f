"""What every way into the bot accepts, and the two fixed answers it gives when it cannot do better.

Shared by the Rasa server's REST channel (bot/runtime/channels.py) and the widget's socket.io endpoint in the
page server (bot/web/gateway.py); plain Python, so the page server never imports Rasa.
"""

from __future__ import annotations

import re
from typing import Any

from bot.dialogue.wording import line

MAX_SENDER_ID = 128
SENDER_ID = re.compile(rf"^[A-Za-z0-9_.:@-]{{1,{MAX_SENDER_ID}}}$")
MAX_MESSAGE_CHARS = 20_000  # far above the widget's 2,000: longer bodies are refused, not processed
SORRY = line("limits", "sorry")
UNREADABLE = line("limits", "unreadable")


def valid_sender(sender: Any) -> bool:
    """A conversation id that is safe to store and log: short, plain characters only."""
    return isinstance(sender, str) and bool(SENDER_ID.match(sender))
