"""The two server processes apply their patches (and only theirs) once their logs are private, before the
framework's own main starts the server."""

from __future__ import annotations

from typing import Any

import pytest
import rasa.__main__
import rasa_sdk.__main__

from bot import private_logs
from bot.runtime import action_server, patches, rasa_server


@pytest.fixture
def steps(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Each step the entry points take, in order, none of them run."""
    taken: list[Any] = []
    monkeypatch.setattr(private_logs, "install", lambda: taken.append("private logs"))
    monkeypatch.setattr(patches, "apply_all", lambda process: taken.append(("patches", process)))
    monkeypatch.setattr(rasa.__main__, "main", lambda: taken.append("rasa"))
    monkeypatch.setattr(action_server, "keep_tensorflow_out", lambda: taken.append("no tensorflow"))
    monkeypatch.setattr(action_server, "preload", lambda: taken.append("preload"))
    monkeypatch.setattr(rasa_sdk.__main__, "main_from_args", lambda _args: taken.append("rasa_sdk"))
    monkeypatch.setenv("SANIC_HOST", "127.0.0.1")  # what the action server would set
    return taken


def test_the_rasa_server_applies_the_rasa_patches_before_rasas_main(steps: list[Any],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.argv", ["rasa_server", "run"])
    rasa_server.main()
    assert steps == ["private logs", ("patches", "rasa"), "rasa"]


def test_the_action_server_applies_its_patch_before_rasa_sdks_main(steps: list[Any]) -> None:
    action_server.main([])
    assert steps == ["private logs", "no tensorflow", "preload", ("patches", "actions"), "rasa_sdk"]
