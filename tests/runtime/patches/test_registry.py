"""bot/runtime/patches/__init__.py: one registry applies each patch once, in its own process only, on the
version it was verified on, unless BOT_PATCHES_OFF switches it off."""

from __future__ import annotations

import importlib
import json
import logging
import os
import subprocess
import sys
import types
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from bot.paths import ROOT
from bot.runtime import patches
from bot.runtime.patches import Patch, PatchVersionError

RASA = metadata.version("rasa")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[int]]:
    """A registry of three fake patches (one verified on another Rasa, one for the action server), nothing
    applied yet, and no BOT_PATCHES_OFF or CI; returns each one's calls to `apply`."""
    calls: dict[str, list[int]] = {}
    for name in ("fine", "old", "sanic"):
        module = types.ModuleType(f"fake_patch_{name}")
        calls[name] = []
        module.apply = lambda _calls=calls[name]: _calls.append(1)  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(patches, "PATCHES", (
        Patch("fine", "rasa", RASA, "rasa", "fake_patch_fine"),
        Patch("old", "rasa", "0.0.1", "rasa", "fake_patch_old"),
        Patch("sanic", "sanic", metadata.version("sanic"), "actions", "fake_patch_sanic"),
    ))
    monkeypatch.setattr(patches, "_applied", set())
    monkeypatch.delenv(patches.OFF_VARIABLE, raising=False)
    monkeypatch.delenv("CI", raising=False)
    return calls


@pytest.mark.parametrize("ci", [None, "", "0", "false"])
def test_a_patch_verified_on_another_version_is_skipped_with_a_warning_naming_it(
        fake: dict[str, list[int]], ci: str | None, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    if ci is not None:
        monkeypatch.setenv("CI", ci)
    with caplog.at_level(logging.INFO, logger=patches.__name__):
        assert patches.apply_all("rasa") == ["fine"]
    assert fake == {"fine": [1], "old": [], "sanic": []}
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1 and "old" in warnings[0] and "0.0.1" in warnings[0] and RASA in warnings[0]
    assert any("rasa process: fine." in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("ci", ["true", "1", "yes", "TRUE"])
def test_in_ci_a_version_mismatch_is_an_error_and_nothing_is_applied(
        fake: dict[str, list[int]], ci: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", ci)
    with pytest.raises(PatchVersionError, match=f"old \\(verified on rasa 0.0.1, installed: {RASA}\\)"):
        patches.apply_all("rasa")
    assert fake == {"fine": [], "old": [], "sanic": []}
    monkeypatch.setenv(patches.OFF_VARIABLE, "old")  # switched off, its version does not matter
    assert patches.apply_all("rasa") == ["fine"]


def test_each_patch_is_applied_once_and_only_in_its_own_process(fake: dict[str, list[int]]) -> None:
    assert patches.apply_all("rasa") == ["fine"]
    assert patches.apply_all("rasa") == ["fine"]
    assert fake == {"fine": [1], "old": [], "sanic": []}
    assert patches.apply_all("actions") == ["sanic"]
    assert patches.applied("rasa") == ["fine"] and fake["sanic"] == [1]
    with pytest.raises(ValueError, match="'rasa' or 'actions'"):
        patches.apply_all("shell")  # type: ignore[arg-type]


@pytest.mark.parametrize(("off", "applied"), [("fine", []), (" fine , sanic", []), ("sanic", ["fine"]),
                                              ("all", []), ("", ["fine"])])
def test_bot_patches_off_switches_patches_off_by_name_or_all(
        fake: dict[str, list[int]], off: str, applied: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(patches.OFF_VARIABLE, off)
    assert patches.apply_all("rasa") == applied
    assert fake["fine"] == ([1] if applied else [])


def test_a_name_that_is_no_patchs_is_rejected_with_the_valid_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(patches.OFF_VARIABLE, "tracker_copy,trackercopy")
    with pytest.raises(ValueError, match="names no patch trackercopy") as refused:
        patches.apply_all("rasa")
    assert all(patch.name in str(refused.value) for patch in patches.PATCHES) and "all" in str(refused.value)


def test_every_module_here_is_a_registered_patch_that_names_what_it_replaces() -> None:
    folder = Path(patches.__file__).parent
    modules = {path.stem for path in folder.glob("*.py")} - {"__init__", "__main__", "fingerprints"}
    assert [patch.module for patch in patches.PATCHES] == [f"{patches.__name__}.{p.name}" for p in patches.PATCHES]
    assert sorted(patch.name for patch in patches.PATCHES) == sorted(modules)
    for patch in patches.PATCHES:
        module = importlib.import_module(patch.module)
        assert module.REPLACES and set(module.REPLACES) <= set(module.TARGETS), patch.name
        assert module.__doc__ and callable(module.apply), patch.name


def _run(script: str, *args: str) -> Any:
    """`script`'s JSON answer, run in a fresh process as the servers are (no CI, nothing switched off)."""
    env = {name: value for name, value in os.environ.items() if name not in ("CI", patches.OFF_VARIABLE)}
    done = subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300, check=True)
    return json.loads(done.stdout.splitlines()[-1])


WHAT_APPLY_ALL_REPLACES = """
import importlib, json, sys
from bot.runtime import patches

def owner(target):
    module, _, qualname = target.partition(":")
    found = importlib.import_module(module)
    for part in qualname.split(".")[:-1]:
        found = getattr(found, part)
    return found

def name(owner, attribute):
    if isinstance(owner, type):
        return f"{owner.__module__}:{owner.__qualname__}.{attribute}"
    return f"{owner.__name__}:{attribute}"

modules = [importlib.import_module(patch.module) for patch in patches.PATCHES]
owners = {id(found): found for module in modules for target in module.TARGETS for found in [owner(target)]}
before = {key: dict(vars(found)) for key, found in owners.items()}
applied = patches.apply_all("rasa")
changed = {}
for key, found in owners.items():
    after = vars(found)
    for attribute in before[key].keys() | after.keys():
        if before[key].get(attribute) is not after.get(attribute):
            value = after.get(attribute)
            changed[name(found, attribute)] = getattr(getattr(value, "__func__", value), "__module__", None)
print(json.dumps({"applied": applied, "changed": changed}))
"""


def test_apply_all_in_the_rasa_server_process_replaces_exactly_what_the_rasa_patches_name() -> None:
    """What `python -m bot.runtime.rasa_server` does before Rasa's main, in a process of its own: every Rasa
    patch is applied; each thing it names is replaced by its module's own code; nothing else that any patch
    names or lives beside is touched (Sanic's patch included)."""
    result = _run(WHAT_APPLY_ALL_REPLACES)
    rasa_patches = [patch for patch in patches.PATCHES if patch.process == "rasa"]
    assert result["applied"] == [patch.name for patch in rasa_patches]
    expected = {target: patch.module for patch in rasa_patches
                for target in importlib.import_module(patch.module).REPLACES}
    assert result["changed"] == expected


WHAT_THE_ACTION_SERVER_GETS = """
import json, sys
from sanic.request import Request
from bot.runtime import patches

sanic_load_json = Request.load_json
applied = patches.apply_all("actions")
print(json.dumps({"applied": applied, "module": Request.load_json.__module__,
                  "rasa": sorted(name for name in sys.modules if name.split(".")[0] in ("rasa", "tensorflow"))}))
"""


def test_apply_all_in_the_action_server_process_replaces_sanics_request_body_reader_without_rasa() -> None:
    result = _run(WHAT_THE_ACTION_SERVER_GETS)
    assert result == {"applied": ["sanic_json_body"], "module": f"{patches.__name__}.sanic_json_body", "rasa": []}
    script = "import json, sys; import bot.runtime.patches; print(json.dumps(sorted(sys.modules)))"
    assert not [name for name in _run(script) if name.split(".")[0] in ("rasa", "sanic", "tensorflow")]
