"""Rasa's REST channel with the checks a private chat needs (credentials.yml names it). Everything reaches
the Rasa server this way: the web widget too, through the page server (bot/web/gateway.py).

- Bad requests get a clean 400, never a crash: a body that is not a JSON object, a missing or non-text
  message, a sender id that is not a short plain id.
- The bot is never silent: if a turn produced no message at all (the action server is down, a component
  failed), the person gets a short apology with where to find help, and the conversation goes on.
- Errors are logged without the message text: what people write here is private.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import unicodedata
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.exceptions import InvalidUsage as BadRequest  # the 400 error in Sanic 21
from sanic.request import Request

from bot.dialogue.limits import MAX_MESSAGE_CHARS, MAX_SENDER_ID, SORRY, valid_sender
from bot.runtime import patches
from bot.runtime.gc_freeze import freeze_loaded_objects
from bot.runtime.patches.kept_action_sessions import close_kept_sessions
from bot.runtime.worker_balance import balanced

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]


class _CountingOutput(OutputChannel):
    """Passes every bot message on, counting them, so the turn's end can tell whether it said anything."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    def name(self) -> str:  # type: ignore[override]  # the wrapped channel's name selects responses
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)


def _clean(text: str) -> str:
    """Drop control characters (not line breaks or tabs): they carry nothing a person meant to say."""
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")


def turn_deadline() -> float:
    """Seconds a person waits before hearing something (BOT_TURN_DEADLINE, default 20)."""
    return float(os.environ.get("BOT_TURN_DEADLINE", "20"))


async def _run(on_new_message: Handler, message: UserMessage) -> None:
    try:
        await on_new_message(message)
    except Exception:  # noqa: BLE001 - logged without the text, and the person still gets an answer
        logger.exception("A message could not be handled (text not logged).")


def never_silent(on_new_message: Handler) -> Handler:
    """Wrap Rasa's message handler: clean the text; a turn that fails, or is still silent after the
    deadline (a slow or stopped action server: Rasa itself waits five minutes), gets `SORRY`. A slow turn
    keeps running and is stored, but its late answer is not shown: the reply has already gone (the widget
    reaches Rasa over REST too, through the page server)."""

    async def handle(message: UserMessage) -> None:
        message.text = _clean(message.text or "")
        counting = _CountingOutput(message.output_channel)
        message.output_channel = counting
        turn = asyncio.ensure_future(_run(on_new_message, message))
        try:
            await asyncio.wait_for(asyncio.shield(turn), turn_deadline())
        except asyncio.TimeoutError:
            logger.warning("A turn took longer than %.0f s; the person was told.", turn_deadline())
        if counting.sent == 0:
            await counting.inner.send_text_message(message.sender_id, SORRY)

    return handle


def process_hooks(blueprint: Blueprint) -> Blueprint:
    """Once Rasa has loaded the model (it loads it before the server starts, so this runs after, once per
    process whichever channel registers first): log which patches are in effect in this worker
    (bot/runtime/patches, applied before Rasa's main and inherited by each forked worker), and freeze the
    loaded objects for the garbage collector (bot/runtime/gc_freeze.py). When the server stops, close the
    connections kept open to the action server (patch `kept_action_sessions`)."""

    @blueprint.listener("after_server_start")
    async def freeze(_app: Any, _loop: Any) -> None:
        if not gc.get_freeze_count():
            logger.info("Patches in effect in this worker: %s.", ", ".join(patches.applied("rasa")) or "none")
            freeze_loaded_objects()

    @blueprint.listener("after_server_stop")
    async def close(_app: Any, _loop: Any) -> None:
        await close_kept_sessions()

    return blueprint


class GuardedRestInput(RestInput):
    """POST /webhooks/rest/webhook with {"sender": "...", "message": "..."}; anything else is a 400."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @staticmethod
    def _body(request: Request) -> Dict[str, Any]:
        body = request.json  # Sanic answers 400 itself when the body is not JSON
        if not isinstance(body, dict):
            raise BadRequest("The body must be a JSON object.")
        return body

    async def _extract_sender(self, req: Request) -> str | None:
        sender = self._body(req).get("sender")
        if not valid_sender(sender):
            raise BadRequest(f"'sender' must be 1 to {MAX_SENDER_ID} letters, digits or _.:@- characters.")
        return sender

    def _extract_message(self, req: Request) -> str | None:
        message = self._body(req).get("message")
        if not isinstance(message, str):
            raise BadRequest("'message' must be a string.")
        if len(message) > MAX_MESSAGE_CHARS:
            raise BadRequest(f"'message' is longer than {MAX_MESSAGE_CHARS} characters.")
        return message

    def get_metadata(self, request: Request) -> Dict[str, Any] | None:
        metadata = self._body(request).get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            raise BadRequest("'metadata' must be a JSON object.")
        return metadata

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        return balanced(process_hooks(super().blueprint(never_silent(on_new_message))))
