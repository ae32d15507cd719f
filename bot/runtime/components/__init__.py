"""Rasa graph components: thin adapters that run the project's spaCy rule layers inside the NLU pipeline.

Each one reads the spaCy Doc that `SpacyNLP` already made (same pipeline as bot.nlp.load()), calls plain
code in `bot/`, and writes intents or entities onto the message. None of them is trained.
"""
