"""Exempt the loaded Rasa server's objects from garbage collection (the channels' process hook runs it).

Once the model is loaded, the server holds hundreds of thousands of Python objects (TensorFlow, Rasa, the
models) that live as long as the process, and each full garbage collection walked all of them, stalling
every conversation in flight. `gc.freeze()` moves them out of the collector's reach; what is created
afterwards is collected as before (docs/performance.md, "Replacements of Rasa internals").
"""

from __future__ import annotations

import gc
import logging

logger = logging.getLogger(__name__)


def freeze_loaded_objects() -> int:
    """Collect once, then exempt every object alive now from later collections; returns how many."""
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    logger.info("Froze %d long-lived objects for the garbage collector.", frozen)
    return frozen
