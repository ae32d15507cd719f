"""Fix 2: an event type's class found by its name in a table.

Replaces `Event.resolve_by_type`, which walks every subclass of `Event` (recursively, checking each for
abstractness) for each stored event read back, the bulk of loading a conversation from the tracker
store. The name -> class table is built once and rebuilt on a miss, so event classes defined later still
resolve; a name no class has goes to Rasa's own method (its default, its "topic" case, its error).
"""

from __future__ import annotations

from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

REPLACES = ("rasa.shared.core.events:Event.resolve_by_type",)
TARGETS = REPLACES

_rasa_resolve = Event.resolve_by_type
_event_types: dict[str, type[Event]] = {}


def _resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    if type_name not in _event_types:
        for cls in all_subclasses(Event):  # the first class with a name wins, as in Rasa's loop
            _event_types.setdefault(cls.type_name, cls)
    found = _event_types.get(type_name)
    return found if found is not None else _rasa_resolve(type_name, default)


def apply() -> None:
    Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[method-assign, assignment]
