"""Debian's Chromium driven by Playwright: one browser per test module, a fresh context (own storage) per test.

Chromium is never downloaded (`playwright install` is not used): BROWSER_EXECUTABLE points at a system
Chromium, /usr/bin/chromium by default.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, List

import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, Playwright, sync_playwright

from bot.paths import ROOT
from bot.tools.serve import free_port, wait_for_http

CHROMIUM = Path(os.environ.get("BROWSER_EXECUTABLE", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
PHONE = {"width": 375, "height": 667}


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(f"No Chromium at {CHROMIUM} (apt-get install chromium, or set BROWSER_EXECUTABLE)")
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    fresh = browser.new_context()
    yield fresh
    fresh.close()


@dataclass
class Watched:
    """A page plus what it did that a test must not miss: dialogs opened and uncaught script errors."""

    page: Page
    dialogs: List[str] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)


def watch(page: Page) -> Watched:
    watched = Watched(page)

    def on_dialog(dialog: Dialog) -> None:
        watched.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: watched.errors.append(str(error)))
    return watched


@pytest.fixture
def watched(context: BrowserContext) -> Iterator[Watched]:
    """A page in a fresh context; the test fails if the widget threw an uncaught error."""
    result = watch(context.new_page())
    yield result
    assert result.errors == [], f"uncaught errors in the page: {result.errors}"


@pytest.fixture
def page_without_bot() -> Iterator[str]:
    """A second page server whose Rasa URL points at a port where nothing listens: the server is down."""
    web_port, dead_port = free_port(), free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.web", "--host", "127.0.0.1", "--port", str(web_port),
         "--rasa-url", f"http://127.0.0.1:{dead_port}"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{web_port}"
    try:
        wait_for_http(f"{url}/health", 30, process, "the page server")
        yield url
    finally:
        process.terminate()
        process.wait(10)
