"""The trained model, parsing messages the way the Rasa server does (the whole NLU pipeline, rules included).

Shared by `make eval` (the safety lists) and tests/nlu/test_conversation_intents.py, so both read messages
through the same loaded model.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from bot.paths import ROOT

if TYPE_CHECKING:
    from rasa.core.agent import Agent

MODEL = ROOT / "models" / "bot.tar.gz"


def parse_all(texts: list[str], agent: Agent | None = None) -> dict[str, dict[str, Any]]:
    """Each text -> Rasa's parse result from `agent` (by default models/bot.tar.gz, loaded once), parsed in
    one event loop."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # Rasa would log every parsed message at debug level
    agent = agent or Agent.load(str(MODEL))

    async def parse() -> list[dict[str, Any]]:
        return [await agent.parse_message(text) for text in texts]

    return dict(zip(texts, asyncio.run(parse()), strict=True))
