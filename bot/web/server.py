"""Serves the chat page and its assets; the browser then talks to the Rasa server directly.

Only a fixed set of files is served (no directory listing, no path from the request reaches the file
system), every response carries a strict Content-Security-Policy, and access logs are off: request paths
are harmless here, but nothing the person types should ever reach a log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Awaitable, Callable, Dict

from aiohttp import web

STATIC = Path(__file__).resolve().parent / "static"
ASSETS: Dict[str, Path] = {
    "/": STATIC / "index.html",
}
CONTENT_TYPES = {".html": "text/html", ".js": "application/javascript", ".css": "text/css",
                 ".svg": "image/svg+xml"}


def _security_headers(rasa_url: str) -> Dict[str, str]:
    ws_url = rasa_url.replace("http://", "ws://").replace("https://", "wss://")
    return {
        "Content-Security-Policy": (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src 'self' {rasa_url} {ws_url}; frame-ancestors 'none'; base-uri 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


def create_app(rasa_url: str) -> web.Application:
    """The page server; `rasa_url` is where the browser finds the Rasa server."""
    headers = _security_headers(rasa_url)

    @web.middleware
    async def add_headers(request: web.Request,
                          handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                          ) -> web.StreamResponse:
        response = await handler(request)
        response.headers.update(headers)
        return response

    async def asset(request: web.Request) -> web.Response:
        path = ASSETS[request.path]
        return web.Response(body=path.read_bytes(),
                            content_type=CONTENT_TYPES.get(path.suffix, "application/octet-stream"),
                            headers={"Cache-Control": "no-cache"})

    async def config(_request: web.Request) -> web.Response:
        return web.json_response({"rasaUrl": rasa_url})

    async def health(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application(middlewares=[add_headers])
    for route in ASSETS:
        app.router.add_get(route, asset)
    app.router.add_get("/config.json", config)
    app.router.add_get("/health", health)
    return app

