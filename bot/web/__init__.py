"""The web page: the chat widget's files, served by a small aiohttp app (see server.py)."""
