"""Fix 3: the NLU parse of a short message kept per loaded model.

Replaces `MessageProcessor._parse_message_with_graph`. Short messages recur word for word across people
("yes", "another idea", "thanks", "bye", the widget's buttons), and the pipeline's answer depends on the
text alone (the project's components read nothing else), so the parse of a message of up to
`SHORT_MESSAGE_CHARS` characters is kept in memory, keyed by a keyed hash of the text (the key is random
per process, so the keys cannot be matched against guessed phrases), without the text, and only if it
holds no entity (entities quote the person's words: a cue phrase, a country). Longer messages, and calls
that ask for more than the output properties, go to Rasa's own method every time and are never kept.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import OrderedDict
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, TEXT

from bot.runtime.recent import keep, recall

REPLACES = ("rasa.core.processor:MessageProcessor._parse_message_with_graph",)
TARGETS = REPLACES

SHORT_MESSAGE_CHARS = 40
PARSES_KEPT = 2000
_PARSE_KEY = os.urandom(32)

_rasa_parse = MessageProcessor._parse_message_with_graph


def _parse_message_with_graph(self: MessageProcessor, message: UserMessage, tracker: DialogueStateTracker,
                              only_output_properties: bool = True) -> dict[str, Any]:
    text = message.text
    if not only_output_properties or not text or len(text) > SHORT_MESSAGE_CHARS:
        return _rasa_parse(self, message, tracker, only_output_properties)
    parses: OrderedDict[bytes, str] = self.__dict__.setdefault("_short_parses", OrderedDict())  # one per model
    key = hashlib.blake2b(text.encode(), key=_PARSE_KEY, digest_size=16).digest()
    kept = recall(parses, key)
    if kept is not None:
        return {TEXT: text, **json.loads(kept)}  # a fresh copy: the caller adds to it
    parsed = _rasa_parse(self, message, tracker, only_output_properties)
    if not parsed.get(ENTITIES):
        keep(parses, key, json.dumps({name: value for name, value in parsed.items() if name != TEXT}), PARSES_KEPT)
    return parsed


def apply() -> None:
    MessageProcessor._parse_message_with_graph = _parse_message_with_graph  # type: ignore[method-assign]
