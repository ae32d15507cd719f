"""The chat widget in a real browser against the real stack (socket.io to Rasa, actions, tracker store).

What a person sees and does: the greeting, strategies and quick replies, the I-statement exercise, a reload
that keeps the conversation, markup shown as text, a phone screen, keyboard-only use, starting over, the
crisis lines, and what happens when the server can't be reached.
"""

from __future__ import annotations

import json
import re
from typing import List

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from bot.paths import ROOT
from bot.tools.serve import Stack
from tests.browser.conftest import PHONE, Watched, watch
from tests.stack import tracker_events

pytestmark = pytest.mark.browser

TURN = 30_000  # ms: the server answers within its own 20 s deadline
GREETING_BUTTONS = ["I feel jealous", "I need reassurance", "I'm scared they'll leave", "I compare myself",
                    "I overthink their messages", "Practise an I-statement"]
DOWN = "Can't reach the bot right now; trying again…"
STORE_KEY = "couples-practice-chat"
SCREENSHOTS = ROOT / "results" / "screenshots"


# ---------------------------------------------------------------------------------------------- helpers

def bot_texts(page: Page) -> List[str]:
    return page.locator(".msg-bot .bubble").all_inner_texts()


def open_buttons(page: Page) -> List[str]:
    return page.locator(".quick-replies button:enabled").all_inner_texts()


def wait_for_turn(page: Page, bot_messages_before: int) -> str:
    """Wait until the bot has answered and finished its turn (the typing indicator is gone); return what
    it said in that turn."""
    page.locator(".msg-bot").nth(bot_messages_before).wait_for(timeout=TURN)
    expect(page.locator("#typing")).to_be_hidden(timeout=TURN)
    return "\n".join(bot_texts(page)[bot_messages_before:])


def open_chat(page: Page, url: str) -> str:
    """Open the page on a new session: the widget greets by itself. Returns the greeting."""
    page.goto(url)
    return wait_for_turn(page, 0)


def say(page: Page, text: str) -> str:
    before = page.locator(".msg-bot").count()
    page.locator("#message").fill(text)
    page.locator("#message").press("Enter")
    return wait_for_turn(page, before)


def tap(page: Page, title: str) -> str:
    before = page.locator(".msg-bot").count()
    page.locator(".quick-replies button:enabled", has_text=title).click()
    return wait_for_turn(page, before)


def session_id(page: Page) -> str:
    return json.loads(page.evaluate(f"() => sessionStorage.getItem({STORE_KEY!r})"))["sessionId"]


# ---------------------------------------------------------------------------------------------- tests

def test_new_session_is_greeted_with_quick_replies_and_timestamps(stack: Stack, watched: Watched) -> None:
    page = watched.page
    requested: List[str] = []
    page.on("request", lambda request: requested.append(request.url))
    greeting = open_chat(page, stack.settings.web_url)
    own = (stack.settings.web_url + "/", stack.settings.rasa_url + "/socket.io/")
    assert [url for url in requested if not url.startswith(own)] == []  # no CDN, nothing from elsewhere
    assert "not a therapist" in greeting
    assert open_buttons(page) == GREETING_BUTTONS
    assert page.locator(".msg-user").count() == 0  # the automatic greeting is not shown as the person's
    stamp = page.locator(".msg-bot time").first
    assert re.match(r"\d{4}-\d\d-\d\dT", stamp.get_attribute("datetime") or "")
    assert re.search(r"\d", stamp.inner_text())


def test_strategy_exercise_and_a_reload_that_keeps_the_conversation(stack: Stack, watched: Watched) -> None:
    page = watched.page
    open_chat(page, stack.settings.web_url)

    page.locator("#message").fill("i checked his phone and he's texting his ex")
    page.locator("#message").press("Enter")
    expect(page.locator("#typing")).to_be_visible()  # shown while waiting for the bot
    reply = wait_for_turn(page, 1)
    assert "Try this:" in reply
    assert open_buttons(page) == ["Another idea", "Practise an I-statement", "Should I talk to a professional?"]
    assert page.locator(".msg-user .bubble").last.inner_text() == "i checked his phone and he's texting his ex"

    reply = tap(page, "Practise an I-statement")
    assert "Let's practise" in reply
    assert page.locator(".msg-user .bubble").last.inner_text() == "Practise an I-statement"
    expect(page.locator(".quick-replies button.chosen")).to_have_text("Practise an I-statement")
    assert open_buttons(page) == []  # used buttons, and the greeting's, are disabled

    before = page.locator("#transcript").inner_text()
    same_session = session_id(page)
    page.reload()
    expect(page.locator(".msg-bot").last).to_contain_text("Let's practise")
    page.wait_for_timeout(1500)  # time for a (wrong) second greeting to arrive, if there were one
    assert page.locator("#transcript").inner_text() == before
    assert session_id(page) == same_session

    reply = say(page, "you never listen to me")  # the exercise goes on where it was, on the server too
    assert "Your turn" in reply and "'never'" in reply


def test_markup_is_shown_as_text(stack: Stack, watched: Watched) -> None:
    page = watched.page
    open_chat(page, stack.settings.web_url)
    attack = "<img src=x onerror=alert(1)>"
    say(page, attack)
    expect(page.locator(".msg-user .bubble").last).to_have_text(attack)
    assert page.locator("#transcript img").count() == 0
    page.wait_for_timeout(300)
    assert watched.dialogs == []


def test_input_is_trimmed_and_capped(stack: Stack, watched: Watched) -> None:
    page = watched.page
    open_chat(page, stack.settings.web_url)
    box = page.locator("#message")
    box.fill("   \n  ")
    box.press("Enter")
    assert page.locator(".msg-user").count() == 0  # whitespace only: nothing sent

    expect(page.locator("#counter")).to_have_text("")
    box.fill("a" * 1995)
    box.press("End")
    page.keyboard.type("bcdefghij")  # typed past the limit: the box stops at 2,000
    assert len(box.input_value()) == 2000
    expect(page.locator("#counter")).to_have_text("2000 / 2000 characters")
    box.fill("  i keep rereading her texts  ")
    box.press("Enter")
    expect(page.locator(".msg-user .bubble")).to_have_text("i keep rereading her texts")


def test_phone_viewport(stack: Stack, context: BrowserContext) -> None:
    page = context.new_page()
    page.set_viewport_size(PHONE)
    open_chat(page, stack.settings.web_url)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "widget-phone-375x667.png"
    page.screenshot(path=str(shot))
    assert shot.is_file() and shot.stat().st_size > 0

    no_side_scroll = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    assert page.evaluate(no_side_scroll)
    for selector in ("#message", "#send", "#start-over", "#resources-link"):
        expect(page.locator(selector)).to_be_in_viewport()
        box = page.locator(selector).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], selector


def test_keyboard_only(stack: Stack, watched: Watched) -> None:
    page = watched.page
    open_chat(page, stack.settings.web_url)
    focused_id = "() => document.activeElement && document.activeElement.id"

    page.keyboard.press("Tab")  # the skip link comes first...
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")  # ...and jumps to the message box
    expect(page.locator("#message")).to_be_focused()
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")  # focus is visible

    before = page.locator(".msg-bot").count()
    page.keyboard.type("hi there")
    page.keyboard.press("Enter")
    wait_for_turn(page, before)
    expect(page.locator(".msg-user .bubble").last).to_have_text("hi there")
    assert page.evaluate(focused_id) == "message"  # still in the box, ready for the next message

    # Quick replies are reachable with Shift+Tab from the box and work with Enter.
    for _ in range(12):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("() => document.activeElement.closest('.quick-replies') !== null"):
            break
    title = page.evaluate("() => document.activeElement.textContent")
    assert title in open_buttons(page)
    before = page.locator(".msg-bot").count()
    page.keyboard.press("Enter")
    wait_for_turn(page, before)
    expect(page.locator(".msg-user .bubble").last).to_have_text(title)
    assert page.evaluate(focused_id) == "message"

    live = page.locator("#announcer")
    assert live.get_attribute("aria-live") == "polite"
    expect(live).to_contain_text(bot_texts(page)[-1])  # new bot messages reach screen readers
    assert page.get_by_label("Your message").count() == 1
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Couples communication practice")


def test_start_over_clears_the_tab_and_greets_a_new_session(stack: Stack, watched: Watched) -> None:
    page = watched.page
    open_chat(page, stack.settings.web_url)
    say(page, "i keep comparing myself to his friends")
    first_session = session_id(page)

    page.get_by_role("button", name="Start over").click()
    expect(page.locator(".msg-note")).to_contain_text("You started over")
    wait_for_turn(page, 0)
    assert page.locator(".msg-user").count() == 0
    assert "comparing myself" not in page.locator("#transcript").inner_text()
    assert "not a therapist" in bot_texts(page)[0]
    assert open_buttons(page) == GREETING_BUTTONS
    assert session_id(page) != first_session


def test_delete_my_data_clears_the_tab_and_the_server(stack: Stack, watched: Watched) -> None:
    """Needs the socket.io channel to deliver the action's {"forget": true} as {"custom": {...}}."""
    page = watched.page
    open_chat(page, stack.settings.web_url)
    say(page, "i feel like i'm not good enough for her")
    old_session = session_id(page)
    assert tracker_events(stack.settings.tracker_db, old_session)
    assert "delete this conversation" in say(page, "delete my data")

    page.locator(".quick-replies button:enabled", has_text="Yes, delete it").click()
    expect(page.locator(".msg-note")).to_contain_text("This conversation was deleted", timeout=TURN)
    wait_for_turn(page, 0)  # a fresh session, greeted
    assert page.locator(".msg-user").count() == 0
    assert "not good enough" not in page.locator("#transcript").inner_text()
    assert session_id(page) != old_session
    assert tracker_events(stack.settings.tracker_db, old_session) == []


def test_resources_link_opens_the_crisis_lines(stack: Stack, context: BrowserContext) -> None:
    page = context.new_page()
    page.goto(stack.settings.web_url)
    with context.expect_page() as opened:
        page.get_by_role("link", name="see crisis and abuse lines").click()
    resources = opened.value
    resources.wait_for_load_state()
    text = resources.locator("main").inner_text()
    assert "988" in text and "116 123" in text
    assert resources.get_by_role("heading", name="United Kingdom").count() == 1


def test_server_down_is_said_plainly_and_messages_wait(page_without_bot: str, context: BrowserContext) -> None:
    watched = watch(context.new_page())
    page = watched.page
    page.goto(page_without_bot)
    expect(page.locator("#status-text")).to_have_text(DOWN, timeout=10_000)

    page.locator("#message").fill("are you there?")
    page.locator("#message").press("Enter")
    expect(page.locator(".msg-user .bubble")).to_have_text("are you there?")
    expect(page.locator(".msg-user .pending")).to_contain_text("not sent yet")
    expect(page.locator("#status-text")).to_contain_text("will be sent when it's back")
    assert page.locator("#typing").is_hidden()

    page.reload()  # a queued message is not lost on a reload either
    expect(page.locator(".msg-user .pending")).to_contain_text("not sent yet")

    # The crisis lines do not depend on the bot.
    page.goto(f"{page_without_bot}/resources")
    assert "116 123" in page.locator("main").inner_text()
    assert watched.errors == []


def test_reconnects_and_sends_what_waited(stack: Stack, watched: Watched, context: BrowserContext) -> None:
    page = watched.page
    open_chat(page, stack.settings.web_url)

    context.set_offline(True)
    expect(page.locator("#status-text")).to_have_text(DOWN, timeout=10_000)
    page.locator("#message").fill("i overthink every text he sends")
    page.locator("#message").press("Enter")
    expect(page.locator(".msg-user .pending")).to_be_visible()

    context.set_offline(False)
    expect(page.locator("#status-text")).to_have_text("", timeout=TURN)
    reply = wait_for_turn(page, 1)
    assert reply
    assert page.locator(".msg-user .pending").count() == 0
