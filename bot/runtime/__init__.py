"""How Rasa runs the bot: everything here may import Rasa, Sanic, SQLAlchemy and TensorFlow; nothing outside
`runtime/` and `tools/` may (pyproject.toml, ruff's banned imports).

- `components/`: the NLU graph components config.yml names (rule layers around DIET);
- `policies.py`: TED with a table of its answers; `patches/`: the replacements of Rasa internals;
- `tracker_store.py`, `lock_store.py`: conversations and turn locks in SQLite (PostgreSQL/Redis at scale);
- `channels.py`, `worker_balance.py`: the REST channel every message comes through;
- `rasa_server.py`, `action_server.py`: the two server processes, as `make serve` starts them.
"""
