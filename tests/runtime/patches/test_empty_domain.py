"""bot/runtime/patches/empty_domain.py: the empty-domain check answers as Rasa's."""

from __future__ import annotations

import pytest
from rasa.shared.core.domain import Domain

from bot.runtime.patches import empty_domain
from tests.runtime.patches.dialogues import DOMAIN


@pytest.mark.parametrize(("domain", "empty"),
                         [(Domain.empty(), True), (Domain.from_dict({"intents": ["greet"]}), False), (DOMAIN, False)],
                         ids=["empty", "one intent", "project"])
def test_the_empty_domain_check_answers_as_rasas(domain: Domain, empty: bool) -> None:
    assert empty_domain._is_empty(domain) is empty_domain._rasa_is_empty(domain) is empty
