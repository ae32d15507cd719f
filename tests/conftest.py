"""Shared fixtures. The live stack starts once per test session, only if a test asks for it."""

from __future__ import annotations

import os
from typing import Iterator

import pytest

from bot.tools.serve import Settings, Stack
from tests.stack import Chat

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The real action server, Rasa server and web page, started the way `make serve` starts them."""
    running = Stack(Settings.isolated(tmp_path_factory.mktemp("stack")))
    running.start()
    yield running
    running.stop()


@pytest.fixture
def chat(stack: Stack) -> Chat:
    """A fresh conversation with the running bot."""
    return Chat(stack.settings.rasa_url)
