"""bot/action_server.py: everything the actions load on first use is loaded before the server listens, and
each call's body is read with bot.json_text.loads."""

from __future__ import annotations

from typing import Any

import pytest

from bot import action_server, help, nlp, strategies
from bot.coach import lexicon, matching, text
from bot.safety import distress, messages, resources

# Each loader the actions reach, built once per process on first use. The spaCy pipeline is not reset here:
# matchers elsewhere in this test process hold its vocabulary.
LOADERS: list[Any] = [lexicon.load, matching._matchers, text._lemma_table, distress._rule_sets, resources._data,
                      resources._aliases, messages._texts, strategies._content, help._load]


@pytest.fixture
def cold() -> None:
    """As in a freshly started process: nothing loaded yet."""
    for loader in LOADERS:
        loader.cache_clear()


@pytest.mark.usefixtures("cold")
def test_preload_loads_everything_the_actions_use() -> None:
    assert all(loader.cache_info().currsize == 0 for loader in LOADERS)
    action_server.preload()
    loaded = [nlp.load, *LOADERS]
    assert [loader.__qualname__ for loader in loaded if loader.cache_info().currsize == 0] == []


def test_request_bodies_are_read_with_json_text(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from sanic.exceptions import InvalidUsage
    from sanic.request import Request

    from bot import json_text

    monkeypatch.setattr(Request, "load_json", Request.load_json)  # undone after the test
    read: list[Any] = []
    real = json_text.loads
    monkeypatch.setattr(json_text, "loads", lambda body: read.append(body) or real(body))
    action_server.read_json_fast()

    request = SimpleNamespace(body=b'{"tracker": {"events": []}, "next_action": "action_x"}', parsed_json=None)
    assert Request.load_json(request) == {"tracker": {"events": []}, "next_action": "action_x"}  # type: ignore[arg-type]
    assert request.parsed_json == {"tracker": {"events": []}, "next_action": "action_x"}
    assert read == [request.body]
    with pytest.raises(InvalidUsage):  # a body that is not JSON is still Sanic's clean 400
        Request.load_json(SimpleNamespace(body=b'{"unfinished": ', parsed_json=None))  # type: ignore[arg-type]
