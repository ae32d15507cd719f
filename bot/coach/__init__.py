"""The "I feel" rewording coach: rule-based reading of what a person wants to say to their partner.

    from bot.coach import assess
    a = assess("you never listen to me")
    a.verdict      # "accusation" | "pseudo_i_statement" | "i_statement" | "unclear"
    a.suggestion   # "I feel lonely when I share something ... because I need to feel heard. Could you ...?"

How it decides, the score table and where each lexicon is used: bot/coach/README.md.
spaCy is imported on first use, not on import, so command lines can keep TensorFlow out first.
"""

from bot.coach.engine import assess
from bot.coach.evaluate import evaluate_sentences
from bot.coach.model import PARTS, VERDICTS, Assessment, Flag

__all__ = ["PARTS", "VERDICTS", "Assessment", "Flag", "assess", "evaluate_sentences"]
