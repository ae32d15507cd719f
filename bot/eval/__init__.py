"""Evaluation: `python -m bot.eval` (make eval) and `python -m bot.eval crossval` (make crossval)."""
