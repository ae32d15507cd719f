"""bot/runtime/patches/event_type_lookup.py: every event name resolves to the class Rasa finds."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

from bot.runtime.patches import event_type_lookup


def test_every_event_type_resolves_to_the_class_rasa_finds() -> None:
    for cls in all_subclasses(Event):
        if getattr(cls, "type_name", None):
            assert event_type_lookup._resolve_by_type(cls.type_name) is event_type_lookup._rasa_resolve(cls.type_name)
    with pytest.raises(ValueError, match="Unknown event name"):
        event_type_lookup._resolve_by_type("no such event")
