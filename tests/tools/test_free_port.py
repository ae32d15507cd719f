"""bot/tools/serve.py `free_port`: the ports of one stack never collide."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from bot.tools import serve


def test_a_port_the_os_gives_out_again_is_not_handed_out_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    """The OS gave the same just-released port twice in a row once (CI, a Rasa and an action server)."""
    offered = iter([50001, 50001, 50001, 50002])

    class Socket:
        def __enter__(self) -> Socket:
            return self

        def __exit__(self, *_exc: Any) -> None:
            return None

        def bind(self, _address: Any) -> None:
            self.port = next(offered)

        def getsockname(self) -> tuple[str, int]:
            return "127.0.0.1", self.port

    monkeypatch.setattr(serve, "_handed_out", set())
    monkeypatch.setattr(socket, "socket", Socket)
    assert [serve.free_port(), serve.free_port()] == [50001, 50002]


def test_the_ports_are_free_and_distinct() -> None:
    ports = [serve.free_port() for _ in range(20)]
    assert len(set(ports)) == 20
    for port in ports:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))  # nothing listens there
