"""Find the person's own words that carry an insecurity theme, so a reply can reflect them back.

The patterns are data (data/content/cues.yml). Overlapping matches keep the longest span: "checked his
phone" rather than "his phone". Used by the NLU component bot/runtime/components/cue_extractor.py; pure
spaCy, no Rasa here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Dict, List, Tuple

import yaml
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from bot import nlp
from bot.paths import DATA

CUES_FILE = DATA / "content" / "cues.yml"


@dataclass(frozen=True)
class Cue:
    """One matched phrase: the theme it points to and where it is in the text (character offsets)."""

    theme: str
    pattern_id: str
    text: str
    start: int
    end: int


@cache
def _matcher() -> Tuple[Matcher, Dict[str, str]]:
    """Build the Matcher once per process; the key of each rule is "theme/pattern_id"."""
    spec = yaml.safe_load(CUES_FILE.read_text(encoding="utf-8"))
    matcher = Matcher(nlp.load().vocab)
    themes: Dict[str, str] = {}
    for theme, cues in spec["themes"].items():
        for cue in cues:
            key = f"{theme}/{cue['id']}"
            matcher.add(key, [cue["pattern"]])
            themes[key] = theme
    return matcher, themes


def find_cues(doc: Doc) -> List[Cue]:
    """All cue phrases in `doc`, longest first where they overlap, in reading order."""
    matcher, themes = _matcher()
    matches = matcher(doc)
    spans = [doc[start:end] for _, start, end in matches]
    # The Doc may come from another load of the same pipeline (Rasa's SpacyNLP): its StringStore does not
    # know our rule names, so they are looked up in the matcher's own vocabulary.
    keys = {(start, end): matcher.vocab.strings[match_id] for match_id, start, end in matches}
    cues = []
    for span in sorted(filter_spans(spans), key=lambda s: s.start):
        key = keys[(span.start, span.end)]
        cues.append(Cue(themes[key], key.split("/", 1)[1], span.text, span.start_char, span.end_char))
    return cues
