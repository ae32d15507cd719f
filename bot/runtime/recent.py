"""Bounded in-memory tables that keep the most recently used entries (the speed caches share this).

An `OrderedDict` in use order: `recall` moves a found entry to the newest end, `keep` adds one there and
drops the least recently used past `size`. The bound is passed on every `keep`, so a table never outgrows
the limit its owner names at that moment.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Hashable


def recall(entries: OrderedDict[Any, Any], key: Hashable) -> Any | None:
    """The entry under `key` (now the most recently used), or None."""
    value = entries.get(key)
    if value is not None:
        entries.move_to_end(key)
    return value


def keep(entries: OrderedDict[Any, Any], key: Hashable, value: Any, size: int) -> None:
    """Store `value` as the most recently used entry; drop the least recently used beyond `size`."""
    entries[key] = value
    entries.move_to_end(key)
    while len(entries) > size:
        entries.popitem(last=False)
