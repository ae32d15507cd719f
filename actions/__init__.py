"""Rasa SDK actions: thin adapters between a Rasa tracker and the plain logic in `bot/dialogue/`.

One module per capability; the action server (python -m bot.runtime.action_server) imports them all.
"""
