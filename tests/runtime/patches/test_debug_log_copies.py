"""bot/runtime/patches/debug_log_copies.py: values are passed uncopied only where debug messages are dropped,
and only debug log calls deep-copy in the modules that get the debug log copy."""

from __future__ import annotations

import ast
import copy
import inspect
import logging
from typing import Any

import pytest
import structlog

from bot.runtime.patches import debug_log_copies


@pytest.mark.parametrize("module", debug_log_copies.DEBUG_LOG_COPY_MODULES, ids=lambda module: module.__name__)
def test_every_deep_copy_in_the_modules_given_the_debug_log_copy_is_a_debug_log_argument(module: Any) -> None:
    """Fix 14 passes values uncopied when debug messages are dropped: safe only while nothing else in these
    modules relies on `copy.deepcopy` (a Rasa upgrade that adds such a use fails here)."""
    tree = ast.parse(inspect.getsource(module))

    def deep_copies(node: ast.AST) -> set[int]:
        return {id(call) for call in ast.walk(node) if isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute) and call.func.attr == "deepcopy"
                and isinstance(call.func.value, ast.Name) and call.func.value.id == "copy"}

    in_debug_logs = {copied for call in ast.walk(tree) if isinstance(call, ast.Call)
                     and isinstance(call.func, ast.Attribute) and call.func.attr == "debug"
                     and isinstance(call.func.value, ast.Name) and call.func.value.id == "structlogger"
                     for keyword in call.keywords for copied in deep_copies(keyword.value)}
    assert in_debug_logs and deep_copies(tree) == in_debug_logs


@pytest.fixture
def debug_dropped() -> Any:
    """structlog as Rasa configures it at INFO: debug messages dropped by the bound logger itself."""
    before = structlog.get_config()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.INFO))
    yield
    structlog.configure(**before)


def test_debug_log_arguments_are_copied_only_while_debug_messages_are_kept(debug_dropped: None) -> None:
    debug_log_copies.apply()
    events = [{"event": "slot", "name": "attempt", "value": ["nested"]}]
    debug_log_copy = debug_log_copies.DEBUG_LOG_COPY_MODULES[0].copy
    assert debug_log_copy.deepcopy(events) is events
    assert debug_log_copy.copy is copy.copy
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG))
    copied = debug_log_copy.deepcopy(events)
    assert copied == events and copied is not events and copied[0]["value"] is not events[0]["value"]
