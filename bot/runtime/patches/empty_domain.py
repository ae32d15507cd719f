"""Fix 11: the empty domain the processor compares the domain with built once.

Replaces `Domain.is_empty`: on every message the processor checks that the domain is not empty, and
Rasa's check builds an empty domain from scratch to compare with. The empty domain's dictionary is built
once; the comparison is Rasa's. Nothing falls back.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa.shared.core.domain import Domain

REPLACES = ("rasa.shared.core.domain:Domain.is_empty",)
TARGETS = REPLACES

_rasa_is_empty = Domain.is_empty


@lru_cache(maxsize=1)
def _empty_domain() -> dict[str, Any]:
    return Domain.empty().as_dict()


def _is_empty(self: Domain) -> bool:
    """Rasa's `Domain.is_empty`, with the empty domain's dictionary built once."""
    return self.as_dict() == _empty_domain()


def apply() -> None:
    Domain.is_empty = _is_empty  # type: ignore[method-assign]
