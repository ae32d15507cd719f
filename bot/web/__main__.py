"""`python -m bot.web --port 8080 --rasa-url http://127.0.0.1:5005` serves the chat page."""

import argparse

from aiohttp import web

from bot import private_logs
from bot.web.server import create_app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-url", default="http://127.0.0.1:5005",
                        help="the Rasa server whose REST channel the widget's messages go to")
    args = parser.parse_args()
    private_logs.install()  # tracebacks without what the exception said: it may quote a message
    # A waiting long-poll would otherwise hold a stop for a minute; the widget reconnects by itself.
    web.run_app(create_app(args.rasa_url), host=args.host, port=args.port, print=None,
                access_log=None, shutdown_timeout=2.0)


if __name__ == "__main__":
    main()
