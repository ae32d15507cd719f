"""Insecurity themes and their strategies: the catalogue (catalogue.py: which reflection and strategy come
next, from data/content/strategies.yml), the person's own words for a theme (cues.py), and the reply to a
theme message or "another idea" (replies.py)."""
