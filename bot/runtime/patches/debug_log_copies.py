"""Fix 14: no deep copies for debug log messages that are dropped anyway.

Replaces the `copy` module as three Rasa modules see it (`DEBUG_LOG_COPY_MODULES`). Rasa deep-copies what
it passes to several of its debug log calls (each action's events, each parse's entities, the form's slot
candidates, RulePolicy's states...) before the call, so at any log level. Where structlog drops debug
messages before any processor sees them (its filtering logger, which Rasa configures from the log level;
INFO by default), nothing reads the copy, so those modules get a `copy` whose `deepcopy` then passes the
value itself. All their deep copies are debug log arguments (a test reads their source to keep it so). At
DEBUG, or before Rasa configures logging, they copy as before; every other name is the `copy` module's.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

import rasa.core.actions.forms
import rasa.core.policies.rule_policy
import rasa.core.processor
import structlog

DEBUG_LOG_COPY_MODULES = (rasa.core.processor, rasa.core.actions.forms, rasa.core.policies.rule_policy)
REPLACES = tuple(f"{module.__name__}:copy" for module in DEBUG_LOG_COPY_MODULES)
TARGETS = REPLACES

_DROPPED = structlog.make_filtering_bound_logger(logging.CRITICAL).debug  # structlog's no-op debug method


class _DebugLogCopy:
    """The `copy` module as `DEBUG_LOG_COPY_MODULES` see it."""

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)

    def deepcopy(self, value: Any, memo: dict[int, Any] | None = None) -> Any:
        if structlog.get_config()["wrapper_class"].debug is _DROPPED:
            return value  # only a dropped debug message would have read the copy
        return copy.deepcopy(value, memo)


def apply() -> None:
    for module in DEBUG_LOG_COPY_MODULES:
        module.copy = _DebugLogCopy()  # type: ignore[attr-defined]
