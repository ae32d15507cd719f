"""The project's English spaCy pipeline: built once at install time, loaded by path everywhere.

No pretrained spaCy model can be installed on our machines, so the pipeline is `spacy.blank("en")` (spaCy's
rule-based English tokenizer) plus a lookup lemmatizer whose table is copied from the `spacy-lookups-data`
package when the pipeline is built. Lemmas let the rule layers (safety, cues, coach) match "hurting",
"hurt" and "hurts" with one pattern. Rasa's `SpacyNLP` loads the same directory by path (config.yml).

    python -m bot.nlp build [DIR]   # writes the pipeline (default: build/spacy_en)
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from bot.paths import SPACY_PIPELINE

if TYPE_CHECKING:
    from spacy.language import Language


def keep_tensorflow_out() -> None:
    """Stop thinc (spaCy's backend) from importing TensorFlow in processes that never need it.

    thinc imports TensorFlow whenever it is installed, which costs about 380 MB and 2 s per process. The
    action server and the command line only use spaCy's tokenizer and matchers, so their entry points call
    this before spaCy is imported. It does nothing where TensorFlow is already loaded (the Rasa server).
    """
    sys.modules.setdefault("tensorflow", None)  # type: ignore[arg-type]


def build(path: Path = SPACY_PIPELINE) -> Path:
    """Create the blank English pipeline with a lookup lemmatizer and save it to `path`."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # copies the English lemma table from spacy-lookups-data into the pipeline
    nlp.meta["name"] = "couples_coach_en"
    nlp.meta["description"] = "Blank English tokenizer plus lookup lemmas, built by bot/nlp.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(path)
    return path


@cache
def load(path: Path = SPACY_PIPELINE) -> Language:
    """Load the saved pipeline once per process; every rule layer shares it."""
    import spacy

    if not (path / "meta.json").exists():
        raise FileNotFoundError(f"No spaCy pipeline at {path}: run `make install` (it builds one).")
    return spacy.load(path)


def main(argv: list[str]) -> int:
    """Command line: `build [DIR]`."""
    if not argv or argv[0] != "build":
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    keep_tensorflow_out()
    target = Path(argv[1]) if len(argv) > 1 else SPACY_PIPELINE
    print(f"spaCy pipeline written to {build(target)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
