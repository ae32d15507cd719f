"""bot/runtime/patches/kept_action_sessions.py: action calls share one kept-alive connection, with Rasa's
settings, bodies written by bot.runtime.json_text, and no cookies carried over."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from aiohttp import web
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

from bot.runtime import json_text
from bot.runtime.patches import kept_action_sessions


def test_the_session_writes_bodies_with_it_and_keeps_rasas_settings() -> None:
    endpoint = EndpointConfig("http://127.0.0.1:1/webhook", headers={"X-Test": "1"},
                              basic_auth={"username": "u", "password": "p"})

    async def check() -> None:
        async with kept_action_sessions._session(endpoint) as session:
            assert session._json_serialize is json_text.dumps
            assert session.headers["X-Test"] == "1"
            assert session.auth == aiohttp.BasicAuth("u", "p")
            assert session.timeout.total == DEFAULT_REQUEST_TIMEOUT
            assert session.connector.limit == 0  # type: ignore[union-attr]  # no cap, as a session per call
        await kept_action_sessions.close_kept_sessions()

    asyncio.run(check())


async def _action_server(peers: list[Any], port: int = 0) -> web.AppRunner:
    """A stand-in action server on 127.0.0.1 that notes which client connection each call came on."""

    async def webhook(request: web.Request) -> web.Response:
        peers.append((request.transport.get_extra_info("peername"), dict(request.cookies)))  # type: ignore[union-attr]
        response = web.json_response({"events": [], "responses": []})
        response.set_cookie("sticky", "one-persons-turn")  # what a proxy in front might add
        return response

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


def _port(runner: web.AppRunner) -> int:
    return runner.addresses[0][1]


def test_action_calls_reuse_one_kept_alive_connection() -> None:
    kept_action_sessions.apply()
    peers: list[Any] = []

    async def calls() -> None:
        runner = await _action_server(peers)
        # A host name: for a bare IP address aiohttp's cookie jar would keep nothing anyway.
        endpoint = EndpointConfig(f"http://localhost:{_port(runner)}/webhook")
        for _ in range(3):
            assert await endpoint.request(json={"next_action": "action_x"}) == {"events": [], "responses": []}
        await kept_action_sessions.close_kept_sessions()
        await runner.cleanup()

    asyncio.run(calls())
    assert len(peers) == 3 and len({peer for peer, _ in peers}) == 1
    assert [cookies for _, cookies in peers] == [{}, {}, {}]  # nothing carried from one call to the next


def test_a_call_after_the_action_server_restarted_gets_through() -> None:
    """The kept connection died with the old server; the next call must not fail on it."""
    kept_action_sessions.apply()
    peers: list[Any] = []

    async def calls() -> None:
        runner = await _action_server(peers)
        port = _port(runner)
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        await endpoint.request(json={})
        await runner.cleanup()
        runner = await _action_server(peers, port)
        await asyncio.sleep(0.05)
        assert await endpoint.request(json={}) == {"events": [], "responses": []}
        await kept_action_sessions.close_kept_sessions()
        await runner.cleanup()

    asyncio.run(calls())
    assert len({peer for peer, _ in peers}) == 2


def test_each_event_loop_gets_its_own_session_and_the_stopping_server_closes_it() -> None:
    endpoint = EndpointConfig("http://127.0.0.1:1/webhook")

    async def kept() -> aiohttp.ClientSession:
        async with (kept_action_sessions._session(endpoint) as first,
                    kept_action_sessions._session(endpoint.copy()) as again):
            assert first is again  # same headers and credentials, same loop
        await kept_action_sessions.close_kept_sessions()
        assert first.closed
        return first

    assert asyncio.run(kept()) is not asyncio.run(kept())
    assert kept_action_sessions._kept_sessions == {}


def test_idle_connections_are_dropped_before_the_action_server_drops_them() -> None:
    from rasa_sdk.endpoint import create_app

    async def keep_alive() -> float:
        async with kept_action_sessions._session(EndpointConfig("http://127.0.0.1:1/webhook")) as session:
            seconds = session.connector._keepalive_timeout  # type: ignore[union-attr]
        await kept_action_sessions.close_kept_sessions()
        return seconds

    assert 0 < asyncio.run(keep_alive()) < create_app("actions").config.KEEP_ALIVE_TIMEOUT
