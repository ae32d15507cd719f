"""bot/strategies/cues.py and data/content/cues.yml: the person's own words that a reply reflects back."""

from __future__ import annotations

import pytest
import yaml

from bot import nlp
from bot.strategies import catalogue
from bot.strategies.cues import CUES_FILE, find_cues


@pytest.mark.parametrize("text, expected", [
    ("i checked his phone last night", [("express_jealousy", "checked his phone")]),
    ("she still follows her ex on insta", [("express_jealousy", "her ex")]),
    ("he liked her photos again", [("express_jealousy", "liked her photos")]),
    ("do you still love me?", [("seek_reassurance", "do you still love me")]),
    ("are we ok?? he's been quiet", [("seek_reassurance", "are we ok")]),
    ("will you leave me if i gain weight", [("fear_abandonment", "will you leave me")]),
    ("i'm scared he's going to leave me", [("fear_abandonment", "he's going to leave me")]),
    ("im sure shes gonna dump me", [("fear_abandonment", "dump me")]),
    ("he's away on a work trip all week", [("fear_abandonment", "work trip")]),
    ("everyone elses relationship looks perfect", [("compare_to_others", "everyone elses relationship")]),
    ("i keep reading into every text", [("overanalyze", "reading into every text")]),
    ("she left me on read for 3 hours", [("overanalyze", "left me on read")]),
    ("i'm just not good enough for him", [("low_self_esteem", "not good enough")]),
    ("why would anyone love me", [("low_self_esteem", "why would anyone love")]),
    ("my husband cheated on me two years ago", [("trust_after_betrayal", "husband cheated on me")]),
    ("i want to trust her again", [("trust_after_betrayal", "trust her again")]),
    ("we never talk anymore", [("communication_breakdown", "we never talk")]),
    ("he gives me the silent treatment for days", [("communication_breakdown", "silent treatment")]),
])
def test_cue_examples(text: str, expected: list) -> None:
    found = [(c.theme, c.text) for c in find_cues(nlp.load()(text))]
    assert found == expected


def test_offsets_point_at_the_matched_words() -> None:
    text = "Honestly I checked his phone and saw his ex again"
    for cue in find_cues(nlp.load()(text)):
        assert text[cue.start:cue.end] == cue.text


def test_no_cue_in_neutral_text() -> None:
    assert find_cues(nlp.load()("we had pasta for dinner and watched a film")) == []


def test_every_theme_has_cues_and_only_known_themes_are_used() -> None:
    spec = yaml.safe_load(CUES_FILE.read_text(encoding="utf-8"))
    assert set(spec["themes"]) == set(catalogue.THEMES)
    ids = [cue["id"] for cues in spec["themes"].values() for cue in cues]
    assert len(ids) == len(set(ids))
