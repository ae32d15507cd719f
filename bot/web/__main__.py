"""`python -m bot.web --port 8080 --rasa-url http://127.0.0.1:5005` serves the chat page."""

import argparse

from aiohttp import web

from bot.web.server import create_app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-url", default="http://127.0.0.1:5005",
                        help="where the browser reaches the Rasa server's socket.io channel")
    args = parser.parse_args()
    web.run_app(create_app(args.rasa_url), host=args.host, port=args.port, print=None,
                access_log=None)


if __name__ == "__main__":
    main()
