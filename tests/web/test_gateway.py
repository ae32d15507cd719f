"""bot/web/gateway.py: the Rasa server's REST replies, as the widget's socket.io messages."""

from __future__ import annotations

from bot.web.gateway import socket_messages


def test_text_is_split_at_blank_lines_as_rasas_socket_io_channel_did() -> None:
    assert socket_messages({"recipient_id": "a", "text": "First part.\n\nSecond part."}) == [
        {"text": "First part."}, {"text": "Second part."}]


def test_buttons_go_with_the_last_part_as_quick_replies() -> None:
    reply = {"text": "A tip.\n\nWant another?", "buttons": [{"title": "Yes", "payload": "/affirm"},
                                                           {"title": "No", "payload": "/deny"}]}
    assert socket_messages(reply) == [
        {"text": "A tip."},
        {"text": "Want another?", "quick_replies": [
            {"content_type": "text", "title": "Yes", "payload": "/affirm"},
            {"content_type": "text", "title": "No", "payload": "/deny"}]}]


def test_a_custom_payload_is_passed_whole_and_nothing_empty_is_sent() -> None:
    assert socket_messages({"custom": {"forget": True}}) == [{"custom": {"forget": True}}]
    assert socket_messages({"text": "  "}) == []
    assert socket_messages({"text": "", "buttons": [{"title": "Go", "payload": "/go"}]}) == [
        {"text": "", "quick_replies": [{"content_type": "text", "title": "Go", "payload": "/go"}]}]
