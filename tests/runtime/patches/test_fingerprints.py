"""The installed Rasa and Sanic source that each patch replaces or reproduces is the source it was verified
on (fingerprints.json): after an upgrade, this names exactly the patches to look at again."""

from __future__ import annotations

import ast
import hashlib
import inspect
import json
import textwrap
from pathlib import Path

from bot.runtime.patches import empty_domain, fingerprints

RECORDED = Path(__file__).with_name("fingerprints.json")
REGENERATE = "python -m bot.runtime.patches --fingerprints > tests/runtime/patches/fingerprints.json"


def test_the_source_each_patch_replaces_or_reproduces_is_the_one_it_was_verified_on() -> None:
    recorded: dict[str, dict[str, str]] = json.loads(RECORDED.read_text())
    now = fingerprints.fingerprints()
    changed = {}
    for patch in recorded.keys() | now.keys():
        was, found = recorded.get(patch, {}), now.get(patch, {})
        targets = sorted(target for target in was.keys() | found.keys() if was.get(target) != found.get(target))
        if targets:
            changed[patch] = targets
    assert not changed, (
        "The source these patches replace or reproduce is not what they were verified on: "
        + "; ".join(f"{patch} ({', '.join(targets)})" for patch, targets in sorted(changed.items()))
        + ". Check each one against the installed code (its module's docstring, its tests in tests/runtime/patches),"
        " update its verified version in bot/runtime/patches/__init__.py (or remove it), then run: " + REGENERATE)


def test_every_recorded_target_was_found() -> None:
    recorded = json.loads(RECORDED.read_text())
    assert not [target for targets in recorded.values() for target, found in targets.items()
                if found == fingerprints.MISSING]


def test_a_fingerprint_is_of_rasas_source_whether_or_not_the_patch_is_applied() -> None:
    """Read from the installed file: the source of Rasa's own method, not of what replaces it."""
    target = "rasa.shared.core.domain:Domain.is_empty"
    node = ast.parse(textwrap.dedent(inspect.getsource(empty_domain._rasa_is_empty))).body[0]
    node.body = node.body[1:]  # type: ignore[attr-defined]  # without its docstring
    expected = hashlib.sha256(ast.unparse(node).encode()).hexdigest()[:16]
    before = fingerprints.fingerprint("rasa", target)
    empty_domain.apply()
    assert before == fingerprints.fingerprint("rasa", target) == expected
    assert fingerprints.fingerprint("rasa", "rasa.shared.core.domain:Domain.no_such_method") == fingerprints.MISSING


def test_a_name_a_module_imports_stands_for_the_whole_module() -> None:
    whole = fingerprints.fingerprint("rasa", "rasa.core.processor:copy")
    assert whole == fingerprints.fingerprint("rasa", "rasa.core.processor:logging") != fingerprints.fingerprint(
        "rasa", "rasa.core.policies.rule_policy:copy")
