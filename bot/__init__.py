"""The couples-communication practice bot. The folders are the architecture:

- what the bot understands, says and decides, in plain Python that never imports Rasa, Sanic, SQLAlchemy or
  TensorFlow (ruff's banned imports enforce it): one package per capability, `coach/`, `thoughts/`,
  `safety/`, `strategies/`, `help.py`, `privacy.py`, and `dialogue/` for what every turn shares (the reply
  format, typed yes/no, the conversation's thread, the bot's wording);
- `runtime/`: how Rasa runs it: NLU components, policies, tracker and lock stores, the REST channel, the
  Rasa and action server processes, and the replacements of Rasa internals (`runtime/patches/`);
- `web/`: the chat page and its socket.io gateway (no Rasa either);
- `tools/`: the command lines behind the Makefile: serve, scale, purge, bench, eval.
"""
