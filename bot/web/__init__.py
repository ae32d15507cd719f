"""The web page: the chat widget (static/), the crisis-lines page (resources_page.py), served by a small
aiohttp app (server.py)."""
