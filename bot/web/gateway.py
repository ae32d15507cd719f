"""The widget's socket.io endpoint, in the page server: each message goes on to Rasa's REST channel.

Why here and not in the Rasa server: Engine.IO keeps a socket.io session in the memory of one process,
and its long-polling transport sends a session's requests over several connections. With more than one
Sanic worker behind one port, a request can reach a worker that does not know the session. The page
server is one process, so every session lives in one place; REST requests carry no session, so any Rasa
worker can serve them.

Each reply is sent in the shape Rasa's socket.io channel used (text split at blank lines, buttons as
`quick_replies` on the last part, custom payloads as `{"custom": ...}`), so the widget is unchanged.
"""

from __future__ import annotations

import uuid
from typing import Any

import aiohttp
import socketio

from bot.dialogue.limits import MAX_MESSAGE_CHARS, SORRY, UNREADABLE, valid_sender

REST_TIMEOUT_SECONDS = 60.0  # the Rasa server answers within its own turn deadline (20 s)


def socket_messages(reply: dict[str, Any]) -> list[dict[str, Any]]:
    """One REST reply as the socket.io messages Rasa's socket.io channel would have sent."""
    if "custom" in reply:
        return [{"custom": reply["custom"]}]
    parts = (reply.get("text") or "").strip().split("\n\n")
    messages: list[dict[str, Any]] = [{"text": part} for part in parts if part] or [{"text": ""}]
    if reply.get("buttons"):
        messages[-1]["quick_replies"] = [{"content_type": "text", "title": b.get("title"),
                                          "payload": b.get("payload")} for b in reply["buttons"]]
    return [m for m in messages if m.get("text") or m.get("quick_replies")]


def attach(app: Any, rasa_url: str) -> socketio.AsyncServer:
    """Serve socket.io at /socket.io/ on the page server `app`, relaying to the Rasa server at `rasa_url`."""
    sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins=[])
    sio.attach(app)
    webhook = f"{rasa_url}/webhooks/rest/webhook"
    client: dict[str, aiohttp.ClientSession] = {}

    async def session() -> aiohttp.ClientSession:
        if "session" not in client or client["session"].closed:
            client["session"] = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=REST_TIMEOUT_SECONDS))
        return client["session"]

    async def rest(sender: str, text: str) -> list[dict[str, Any]]:
        async with (await session()).post(webhook, json={"sender": sender, "message": text}) as response:
            response.raise_for_status()
            return await response.json()

    @sio.on("connect")
    async def connect(_sid: str, _environ: Any) -> None:
        """Refuse the connection while the Rasa server is down: the widget then says so plainly, keeps
        what the person types, and retries by itself."""
        try:
            async with (await session()).get(f"{rasa_url}/", timeout=aiohttp.ClientTimeout(total=3)) as answer:
                if answer.status == 200:
                    return
        except (aiohttp.ClientError, TimeoutError):
            pass
        raise socketio.exceptions.ConnectionRefusedError("the bot is not reachable right now")

    @sio.on("session_request")
    async def session_request(sid: str, data: Any) -> None:
        wanted = data.get("session_id") if isinstance(data, dict) else None
        session_id = wanted if valid_sender(wanted) else uuid.uuid4().hex  # a fresh id, not an unsafe one
        sio.enter_room(sid, session_id)
        await sio.save_session(sid, {"session_id": session_id})
        await sio.emit("session_confirm", session_id, room=sid)

    @sio.on("user_uttered")
    async def user_uttered(sid: str, data: Any) -> None:
        session_id = (await sio.get_session(sid)).get("session_id")
        readable = (isinstance(data, dict) and isinstance(data.get("message"), str)
                    and len(data["message"]) <= MAX_MESSAGE_CHARS and data.get("session_id") == session_id)
        if not readable or session_id is None:
            await sio.emit("bot_uttered", {"text": UNREADABLE}, room=sid)
            return
        try:
            replies = await rest(session_id, data["message"])
        except (aiohttp.ClientError, TimeoutError):
            replies = [{"text": SORRY}]
        for reply in replies or [{"text": SORRY}]:
            for message in socket_messages(reply):
                await sio.emit("bot_uttered", message, room=session_id)

    async def close(_app: Any) -> None:
        if "session" in client:
            await client["session"].close()

    app.on_cleanup.append(close)
    return sio
