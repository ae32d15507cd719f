"""Where the project's files live, resolved from the repository root so any working directory works."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
# Built at install time by `python -m bot.nlp build` (see the Makefile); never committed.
SPACY_PIPELINE = ROOT / "build" / "spacy_en"
