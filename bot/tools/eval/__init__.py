"""Evaluation: `python -m bot.tools.eval` (make eval) and `python -m bot.tools.eval crossval` (make crossval)."""
