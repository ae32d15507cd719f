"""The replacements of Rasa (and Sanic) internals, one module each, and the one registry that applies them.

Each module says what it replaces, why, and what it falls back to; `REPLACES` names what its `apply()`
replaces, `TARGETS` also the Rasa code whose logic it reproduces or relies on (their source is fingerprinted
in tests/runtime/patches/fingerprints.json, so an upgrade names the patches to look at again). What each
one saved is measured in docs/performance.md, "Replacements of Rasa internals".

They run only in the two server processes: `apply_all("rasa")` in bot/runtime/rasa_server.py before Rasa's
own main, `apply_all("actions")` in bot/runtime/action_server.py. `rasa train` and `rasa test` run Rasa's
own code. Importing this registry imports no Rasa: a patch's module is imported when it is applied.

- A patch is applied only on the exact version of its distribution it was verified on; on any other it is
  skipped with a warning, or, when `CI` is set to a true value, `apply_all` raises `PatchVersionError`.
- `BOT_PATCHES_OFF` switches patches off by name (comma-separated), or all of them with `all`: to compare,
  or to find which one a bug comes from. A name that is no patch's is an error listing the names.

The servers configure their logging only after this runs, so `apply_all`'s warnings reach stderr (the
service's log) but its INFO line does not; each Rasa worker logs the patches in effect once the model is
loaded (bot/runtime/channels.py). After an upgrade: `python -m bot.runtime.patches --fingerprints`.
"""

from __future__ import annotations

import importlib
import logging
import os
from dataclasses import dataclass
from importlib import metadata
from typing import Literal

logger = logging.getLogger(__name__)

Process = Literal["rasa", "actions"]
OFF_VARIABLE = "BOT_PATCHES_OFF"
_TRUE = {"1", "true", "yes", "on"}


class PatchVersionError(RuntimeError):
    """A patch's distribution is not at the version it was verified on, and `CI` says to stop."""


@dataclass(frozen=True)
class Patch:
    """One replacement: its name (what BOT_PATCHES_OFF names), the distribution it patches and the version
    of it that it was verified on, the process that applies it, and its module."""

    name: str
    distribution: str
    verified: str
    process: Process
    module: str


def _rasa(name: str) -> Patch:
    return Patch(name, "rasa", "3.6.21", "rasa", f"{__name__}.{name}")


PATCHES = (  # in the order of the old numbering ("fix 1" to "fix 14"), then the action server's
    _rasa("action_answer_schema"),
    _rasa("event_type_lookup"),
    _rasa("short_message_parses"),
    _rasa("incremental_states"),
    _rasa("plain_graph_runner"),
    _rasa("rule_matching_memo"),
    _rasa("kept_action_sessions"),
    _rasa("tracker_copy"),
    _rasa("model_loading"),
    _rasa("traced_predict"),
    _rasa("empty_domain"),
    _rasa("rules_decide"),
    _rasa("sparse_features"),
    _rasa("debug_log_copies"),
    Patch("sanic_json_body", "sanic", "21.12.2", "actions", f"{__name__}.sanic_json_body"),
)

_applied: set[str] = set()  # the names of the patches applied in this process


def switched_off() -> set[str]:
    """The names BOT_PATCHES_OFF switches off; a name that is no patch's is an error that lists them."""
    names = {name.strip() for name in os.environ.get(OFF_VARIABLE, "").split(",") if name.strip()}
    known = [patch.name for patch in PATCHES]
    unknown = names - set(known) - {"all"}
    if unknown:
        raise ValueError(f"{OFF_VARIABLE} names no patch {', '.join(sorted(unknown))}; "
                         f"the names are: all, {', '.join(known)}")
    return set(known) if "all" in names else names


def _installed(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "none"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in _TRUE


def apply_all(process: Process) -> list[str]:
    """Apply the patches of `process` not applied yet, in order, and return the names of all of them now
    applied in this process. Switched off: skipped. On another version than verified: skipped with a
    warning each, or, under CI, none applied and `PatchVersionError` raised."""
    if process not in ("rasa", "actions"):
        raise ValueError(f"no patches for a process called {process!r}: 'rasa' or 'actions'")
    off = switched_off()
    pending = [patch for patch in PATCHES if patch.process == process and patch.name not in _applied]
    mismatched = [patch for patch in pending
                  if patch.name not in off and _installed(patch.distribution) != patch.verified]
    reasons = [f"{patch.name} (verified on {patch.distribution} {patch.verified}, installed: "
               f"{_installed(patch.distribution)})" for patch in mismatched]
    if reasons and _in_ci():
        raise PatchVersionError(f"Patches not verified on the installed versions: {'; '.join(reasons)}. Check each "
                                "against the new code (tests/runtime/patches) and update its version in "
                                "bot/runtime/patches/__init__.py, or remove it.")
    for reason in reasons:
        logger.warning("Patch not applied: %s.", reason)
    for patch in pending:
        if patch.name not in off and patch not in mismatched:
            importlib.import_module(patch.module).apply()
            _applied.add(patch.name)
    if any(patch.name in off for patch in pending):
        logger.info("Switched off by %s: %s.", OFF_VARIABLE, ", ".join(p.name for p in pending if p.name in off))
    names = applied(process)
    logger.info("Patches applied in the %s process: %s.", process, ", ".join(names) or "none")
    return names


def applied(process: Process) -> list[str]:
    """The names of the patches of `process` applied in this process (a forked worker inherits them)."""
    return [patch.name for patch in PATCHES if patch.process == process and patch.name in _applied]
