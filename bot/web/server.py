"""Serves the chat page and its assets, and the widget's socket.io endpoint (bot/web/gateway.py), which
passes each message to the Rasa server: the browser talks to this server only.

Only a fixed set of files is served (no directory listing, no path from the request reaches the file
system), every response carries a strict Content-Security-Policy (no inline script or style, so a message
that somehow became markup still could not run), and access logs are off: request paths are harmless here,
but nothing the person types should ever reach a log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict

from aiohttp import web

from bot.paths import ROOT
from bot.web.gateway import attach
from bot.web.resources_page import render_resources_page

STATIC = Path(__file__).resolve().parent / "static"
# socket.io-client comes from npm (package.json, installed by `npm ci` in `make install`), served from here:
# the page never loads anything from another site.
SOCKET_IO_CLIENT = ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
ASSETS: Dict[str, Path] = {
    "/": STATIC / "index.html",
    "/widget.js": STATIC / "widget.js",
    "/style.css": STATIC / "style.css",
    "/favicon.svg": STATIC / "favicon.svg",
    "/vendor/socket.io.min.js": SOCKET_IO_CLIENT,
}
CONTENT_TYPES = {".html": "text/html", ".js": "application/javascript", ".css": "text/css",
                 ".svg": "image/svg+xml"}


SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _check_assets() -> None:
    """Fail at start-up, with the fix, rather than serve a page whose chat silently never loads."""
    missing = [str(path) for path in ASSETS.values() if not path.is_file()]
    if missing:
        raise SystemExit("The chat page is missing files (run `make install` for node_modules): "
                         + ", ".join(missing))


def create_app(rasa_url: str) -> web.Application:
    """The page server; `rasa_url` is the Rasa server the widget's messages go to."""
    _check_assets()
    resources_html = render_resources_page()

    async def add_headers(_request: web.Request, response: web.StreamResponse) -> None:
        """Every response, 404s included, gets the same headers."""
        response.headers.update(SECURITY_HEADERS)

    async def asset(request: web.Request) -> web.Response:
        path = ASSETS[request.path]
        return web.Response(body=path.read_bytes(),
                            content_type=CONTENT_TYPES.get(path.suffix, "application/octet-stream"),
                            headers={"Cache-Control": "no-cache"})

    async def resources(_request: web.Request) -> web.Response:
        return web.Response(text=resources_html, content_type="text/html",
                            headers={"Cache-Control": "no-cache"})

    async def health(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.on_response_prepare.append(add_headers)
    for route in ASSETS:
        app.router.add_get(route, asset)
    app.router.add_get("/resources", resources)
    app.router.add_get("/health", health)
    attach(app, rasa_url)
    return app
