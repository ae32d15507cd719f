"""The action server reads each call's body with `bot.runtime.json_text.loads`.

Replaces Sanic's `Request.load_json` (what `request.json` calls) in the action server, whose body is the
whole conversation on every call. Sanic takes the decoder as an argument whose default is fixed when
Sanic is imported (ujson if installed, else the standard library), and rasa_sdk builds the app without a
way to pass one, so the default becomes `json_text.loads` (orjson, as it is when this is applied). A
caller that passes its own decoder still gets it, and a body that is not JSON is still Sanic's clean 400.
"""

from __future__ import annotations

from typing import Any, Callable

from sanic.request import Request

from bot.runtime import json_text

REPLACES = ("sanic.request:Request.load_json",)
TARGETS = REPLACES

_sanic_load_json = Request.load_json


def apply() -> None:
    def load_json(self: Request, loads: Callable[[str | bytes], Any] = json_text.loads) -> Any:
        return _sanic_load_json(self, loads)

    Request.load_json = load_json  # type: ignore[method-assign]
