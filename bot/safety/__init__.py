"""Safety layer: crisis/abuse detection, country resources, distress markers and the replies built on them.

Plain Python (no Rasa imports) so it can be tested alone. spaCy is only imported when a function runs, so a
command-line entry point can still call `bot.nlp.keep_tensorflow_out()` after importing this package.
"""

from bot.safety.detector import SafetyHit, SafetyResult, detect
from bot.safety.distress import distress_markers
from bot.safety.evaluation import evaluate_lists
from bot.safety.messages import (
    abuse_messages,
    check_in_message,
    crisis_messages,
    hold_message,
    not_safe_messages,
    resources_message,
    safe_again_message,
)
from bot.safety.resources import Resources, find_country, known_countries, resources_for

__all__ = [
    "Resources",
    "SafetyHit",
    "SafetyResult",
    "abuse_messages",
    "check_in_message",
    "crisis_messages",
    "detect",
    "distress_markers",
    "evaluate_lists",
    "find_country",
    "hold_message",
    "known_countries",
    "not_safe_messages",
    "resources_for",
    "resources_message",
    "safe_again_message",
]
