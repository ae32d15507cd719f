"""The page server over plain HTTP (no browser, no Rasa): a fixed set of files, strict headers on every
response, and a resources page built from the safety data with every value escaped."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Dict, Tuple

import pytest

import bot.web.resources_page as resources_page
from bot.safety.resources import Resources, default_code, known_countries, resources_for
from bot.web.server import ASSETS


def fetch(url: str) -> Tuple[int, Dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.parametrize("path", sorted(ASSETS))
def test_every_asset_is_served_with_the_security_headers(page_without_bot: str, path: str) -> None:
    status, headers, body = fetch(page_without_bot + path)
    assert status == 200 and body
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy and "unsafe" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/static/widget.js", "/node_modules/socket.io-client/package.json",
                                  "/vendor/../server.py", "/%2e%2e/credentials.yml", "/widget.js.map"])
def test_nothing_outside_the_fixed_list_is_served(page_without_bot: str, path: str) -> None:
    status, headers, _ = fetch(page_without_bot + path)
    assert status == 404
    assert "Content-Security-Policy" in headers


def test_the_page_connects_only_to_its_own_server(page_without_bot: str) -> None:
    """The widget's socket.io runs in the page server (bot/web/gateway.py): no other origin is needed."""
    _, headers, _ = fetch(page_without_bot + "/")
    assert "connect-src 'self';" in headers["Content-Security-Policy"]
    assert fetch(page_without_bot + "/config.json")[0] == 404


def test_resources_page_lists_every_country_and_its_lines(page_without_bot: str) -> None:
    status, _, body = fetch(page_without_bot + "/resources")
    page = body.decode()
    assert status == 200
    for code in [*known_countries(), default_code()]:
        res = resources_for(code)
        for text in (res.name, res.emergency, *res.crisis, *res.abuse):
            assert text.replace("&", "&amp;").replace("'", "&#x27;") in page, text


def test_resources_page_escapes_what_the_data_says(monkeypatch: pytest.MonkeyPatch) -> None:
    hostile = Resources(code="XX", name="<b>Nowhere</b>", where="there", emergency='1"2',
                        crisis=("<script>alert(1)</script>",), abuse=("a & b",), assumed=False)
    monkeypatch.setattr(resources_page, "resources_for", lambda _code: hostile)
    page = resources_page.render_resources_page()
    assert "<script>alert" not in page and "<b>Nowhere" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;Nowhere&lt;/b&gt;" in page
    assert "1&quot;2" in page and "a &amp; b" in page
