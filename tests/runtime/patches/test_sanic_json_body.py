"""bot/runtime/patches/sanic_json_body.py: the action server reads each call's body with bot.runtime.json_text.loads,
and a body that is not JSON is still Sanic's clean 400."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from bot.runtime import json_text
from bot.runtime.patches import sanic_json_body


def test_request_bodies_are_read_with_json_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Request, "load_json", Request.load_json)  # undone after the test
    read: list[Any] = []
    real = json_text.loads
    monkeypatch.setattr(json_text, "loads", lambda body: read.append(body) or real(body))
    sanic_json_body.apply()

    request = SimpleNamespace(body=b'{"tracker": {"events": []}, "next_action": "action_x"}', parsed_json=None)
    assert Request.load_json(request) == {"tracker": {"events": []}, "next_action": "action_x"}  # type: ignore[arg-type]
    assert request.parsed_json == {"tracker": {"events": []}, "next_action": "action_x"}
    assert read == [request.body]
    with pytest.raises(InvalidUsage):  # a body that is not JSON is still Sanic's clean 400
        Request.load_json(SimpleNamespace(body=b'{"unfinished": ', parsed_json=None))  # type: ignore[arg-type]
