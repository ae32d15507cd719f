"""The held-out NLU split stays held out.

`make eval` reports intent F1 on tests/nlu/test_nlu.yml as a measure of messages the model has never seen.
That only holds if no test message is also a training example: a copy in either direction (a test message
pasted into data/nlu/ to fix a miss, or a training line reused as a test) quietly inflates the figure.
Messages are compared after lower-casing and dropping punctuation, so "Bye!" and "bye" count as the same.
"""

from __future__ import annotations

import re
from functools import cache

from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.paths import DATA, ROOT

TEST_SPLIT = ROOT / "tests" / "nlu" / "test_nlu.yml"


def normalised(text: str) -> str:
    return " ".join(re.sub(r"[^\w' ]", " ", text.lower()).split())


@cache
def examples(path: str) -> dict[str, str]:
    """Normalised text -> intent (with its retrieval sub-intent) for every example in `path`."""
    data: TrainingData = load_data(path)
    return {normalised(m.get("text")): m.get_full_intent() for m in data.intent_examples}


def test_no_test_message_is_a_training_example() -> None:
    train, test = examples(str(DATA / "nlu")), examples(str(TEST_SPLIT))
    assert len(test) >= 250, "the held-out split lost most of its messages"
    shared = sorted(set(train) & set(test))
    assert not shared, f"held-out messages also in data/nlu/: {shared}"


def test_the_split_covers_every_intent_trained() -> None:
    missing = set(examples(str(DATA / "nlu")).values()) - set(examples(str(TEST_SPLIT)).values())
    assert not missing, f"intents with no held-out message: {sorted(missing)}"


def test_normalising_ignores_case_and_punctuation_only() -> None:
    assert normalised("Bye!") == normalised("bye") == "bye"
    assert normalised("I'm in the U.K.") == "i'm in the u k"
    assert normalised("no i don't") != normalised("no, i really don't")
