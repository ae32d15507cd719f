"""Behaviour of bot/strategies/catalogue.py: what comes next, never twice, reflections and buttons.

Expected orders are read from the content file itself, so editing the wording or order there does not break
these tests, while a change in how strategies are chosen does.
"""

from __future__ import annotations

import pytest
import yaml

from bot.strategies import catalogue
from bot.strategies.catalogue import (
    THEMES,
    Strategy,
    next_strategy,
    reflection,
    strategy_message,
    theme_buttons,
    theme_label,
)

RAW = yaml.safe_load(catalogue.STRATEGIES_FILE.read_text(encoding="utf-8"))["themes"]

# Phrases the NLU picks up as cues; every theme's reflections must take any of them.
CUES = [
    "his ex",
    "her coworker",
    "checked his phone",
    "liked her photos",
    "will you leave",
    "not good enough",
    "read into every text",
    "left on read",
    "he cheated",
    "we never talk",
    "everyone else's relationships",
    "do you still love me",
]


def ids_of(theme: str) -> list[str]:
    return [item["id"] for item in RAW[theme]["strategies"]]


def exhaust(theme: str) -> list[Strategy]:
    """Ask for another idea until there is none, as a long conversation would."""
    given: list[str] = []
    offered: list[Strategy] = []
    while (strategy := next_strategy(theme, given)) is not None:
        assert len(offered) < 200, "next_strategy never runs out"
        offered.append(strategy)
        given.append(strategy.id)
    return offered


def test_themes_are_the_eight_intents_in_file_order() -> None:
    assert THEMES == (
        "seek_reassurance",
        "express_jealousy",
        "fear_abandonment",
        "compare_to_others",
        "overanalyze",
        "low_self_esteem",
        "trust_after_betrayal",
        "communication_breakdown",
    )


def test_first_strategy_is_the_first_listed() -> None:
    for theme in THEMES:
        first = next_strategy(theme, [])
        assert first is not None
        assert first.id == ids_of(theme)[0]
        assert first.theme == theme


def test_first_jealousy_strategy_is_naming_the_feeling() -> None:
    strategy = next_strategy("express_jealousy", [])
    assert strategy is not None
    assert (strategy.id, strategy.kind) == ("jealousy_name_it", "self_reflection")
    assert strategy.title == "Name the feeling before acting on it"


@pytest.mark.parametrize("theme", THEMES)
def test_exhaustion_never_repeats_and_ends_with_none(theme: str) -> None:
    offered = exhaust(theme)
    offered_ids = [s.id for s in offered]
    assert len(offered_ids) == len(set(offered_ids))
    # The relations connect every theme, so every strategy in the file is offered exactly once.
    assert sorted(offered_ids) == sorted(i for name in THEMES for i in ids_of(name))
    assert next_strategy(theme, offered_ids) is None


@pytest.mark.parametrize("theme", THEMES)
def test_own_strategies_come_first_then_the_first_related_theme(theme: str) -> None:
    own = ids_of(theme)
    first_related = RAW[theme]["related"][0]
    offered = exhaust(theme)
    assert [s.id for s in offered[: len(own)]] == own
    following = offered[len(own) : len(own) + len(ids_of(first_related))]
    assert [s.id for s in following] == ids_of(first_related)
    assert {s.theme for s in following} == {first_related}


def test_related_themes_are_followed_in_order() -> None:
    # overanalyze -> [seek_reassurance, communication_breakdown]: both before anything further away.
    theme = "overanalyze"
    related = RAW[theme]["related"]
    offered = exhaust(theme)
    start = len(ids_of(theme))
    end = start + sum(len(ids_of(name)) for name in related)
    assert [s.theme for s in offered[start:end]] == [
        name for name in related for _ in ids_of(name)
    ]


def test_strategies_given_for_another_theme_are_skipped_later() -> None:
    theme = "express_jealousy"
    related_first = ids_of(RAW[theme]["related"][0])
    given = ids_of(theme) + related_first[:1]
    strategy = next_strategy(theme, given)
    assert strategy is not None
    assert strategy.id == related_first[1]


def test_given_order_and_unknown_ids_do_not_matter() -> None:
    own = ids_of("overanalyze")
    given = ["retired_strategy_id", *reversed(own[:3])]
    strategy = next_strategy("overanalyze", given)
    assert strategy is not None
    assert strategy.id == own[3]


def test_unknown_theme_is_an_error() -> None:
    with pytest.raises(ValueError, match="Unknown theme"):
        next_strategy("greet", [])
    with pytest.raises(ValueError, match="Unknown theme"):
        reflection("greet", None, 0)
    with pytest.raises(ValueError, match="Unknown theme"):
        theme_label("greet")


@pytest.mark.parametrize("theme", THEMES)
def test_reflection_with_cue_quotes_the_words_verbatim(theme: str) -> None:
    for seed, cue in enumerate(CUES):
        text = reflection(theme, cue, seed)
        assert f'"{cue}"' in text
        assert "{" not in text and "}" not in text
        assert text == reflection(theme, cue, seed)  # deterministic
    assert reflection(theme, "  his ex ", 0) == reflection(theme, "his ex", 0)


@pytest.mark.parametrize("theme", THEMES)
def test_reflection_seed_cycles_through_every_variant(theme: str) -> None:
    with_cue = RAW[theme]["reflections"]["with_cue"]
    without_cue = RAW[theme]["reflections"]["without_cue"]
    assert [reflection(theme, "his ex", seed) for seed in range(len(with_cue))] == [
        template.replace("{cue}", "his ex") for template in with_cue
    ]
    assert [reflection(theme, None, seed) for seed in range(len(without_cue))] == without_cue
    assert reflection(theme, None, len(without_cue)) == without_cue[0]
    assert reflection(theme, None, -1) == without_cue[-1]


def test_empty_cue_counts_as_no_cue() -> None:
    without_cue = RAW["overanalyze"]["reflections"]["without_cue"]
    assert reflection("overanalyze", "", 4) == without_cue[4 % len(without_cue)]
    assert reflection("overanalyze", "   ", 4) == without_cue[4 % len(without_cue)]


def test_cue_with_braces_is_inserted_literally() -> None:
    text = reflection("express_jealousy", "his ex {and} her {cue}", 1)
    assert '"his ex {and} her {cue}"' in text


def test_strategy_message_is_plain_three_lines() -> None:
    strategy = next_strategy("communication_breakdown", [])
    assert strategy is not None
    message = strategy_message(strategy)
    assert message.split("\n") == [strategy.title, strategy.text, f"Try this: {strategy.step}"]
    assert "<" not in message and "**" not in message


def test_theme_label() -> None:
    assert theme_label("express_jealousy") == "jealousy"
    assert theme_label("overanalyze") == "overthinking"


def test_theme_buttons_are_the_main_five() -> None:
    assert theme_buttons() == [
        {"title": "I feel jealous", "payload": "/express_jealousy"},
        {"title": "I need reassurance", "payload": "/seek_reassurance"},
        {"title": "I'm scared they'll leave", "payload": "/fear_abandonment"},
        {"title": "I compare myself", "payload": "/compare_to_others"},
        {"title": "I overthink their messages", "payload": "/overanalyze"},
    ]
    buttons = theme_buttons()
    buttons.clear()
    assert len(theme_buttons()) == 5  # callers get a fresh list
