"""Fix 7: calls to the action server on a kept session, their bodies written with orjson.

Replaces `EndpointConfig.session`. Each action call sends the whole conversation as JSON, and the standard
library's encoder took a large share of the server's time; each call also opened a new session, so a new
TCP connection. The session is now made once per event loop and set of headers and credentials and kept
(`close_kept_sessions` closes them when the server stops), and it writes request bodies with
`bot.runtime.json_text.dumps`, which falls back to the standard library for what orjson refuses. Rasa's
settings are kept: the headers, the credentials and the timeout of every request.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

from bot.runtime import json_text

REPLACES = ("rasa.utils.endpoints:EndpointConfig.session",)
TARGETS = REPLACES

KEEP_ALIVE_SECONDS = 2.0
_kept_sessions: dict[tuple[int, str], tuple[asyncio.AbstractEventLoop, aiohttp.ClientSession]] = {}


class _KeptSession:
    """What `async with endpoint.session()` enters: a client session that stays open when left."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(self, *_exc_info: Any) -> None:
        return None


def _session(self: EndpointConfig) -> _KeptSession:
    """Rasa's `EndpointConfig.session`, with request bodies written by `bot.runtime.json_text.dumps`, made
    once per event loop and set of headers and credentials, and kept. Idle connections are dropped after
    `KEEP_ALIVE_SECONDS`, before the action server drops them (Sanic's default: 5 s), so a request never
    goes out on a connection the server is closing."""
    loop = asyncio.get_running_loop()
    key = (id(loop), json.dumps([self.headers, self.basic_auth], sort_keys=True, default=str))
    kept = _kept_sessions.get(key)
    if kept is None or kept[1].closed:  # the key's loop is the running one: the entry keeps it alive
        for stale in [k for k, (old_loop, _) in _kept_sessions.items() if old_loop.is_closed()]:
            del _kept_sessions[stale]  # a finished loop's session: its connections went with the loop
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
        # No cookie jar (a session per call never sent cookies back; a kept one would carry them from one
        # person's turn to the next), and no cap on connections (a session per call had none).
        session = aiohttp.ClientSession(headers=self.headers, auth=auth, json_serialize=json_text.dumps,
                                        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                                        cookie_jar=aiohttp.DummyCookieJar(),
                                        connector=aiohttp.TCPConnector(limit=0, keepalive_timeout=KEEP_ALIVE_SECONDS))
        kept = _kept_sessions[key] = (loop, session)
    return _KeptSession(kept[1])


async def close_kept_sessions() -> None:
    """Close the running loop's kept sessions (the server is stopping)."""
    loop = asyncio.get_running_loop()
    for key, (owner, session) in list(_kept_sessions.items()):
        if owner is loop:
            del _kept_sessions[key]
            await session.close()


def apply() -> None:
    EndpointConfig.session = _session  # type: ignore[method-assign]
