"""bot/runtime/action_server.py: everything the actions load on first use is loaded before the server listens
(how it reads each call's body: tests/runtime/patches/test_sanic_json_body.py)."""

from __future__ import annotations

from typing import Any

import pytest

from bot import help, nlp
from bot.coach import lexicon, matching, text
from bot.dialogue import wording
from bot.runtime import action_server
from bot.safety import distress, resources
from bot.strategies import catalogue

# Each loader the actions reach, built once per process on first use. The spaCy pipeline is not reset here:
# matchers elsewhere in this test process hold its vocabulary.
LOADERS: list[Any] = [lexicon.load, matching._matchers, text._lemma_table, distress._rule_sets, resources._data,
                      resources._aliases, wording.texts, catalogue._content, help._load]


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
