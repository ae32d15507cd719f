"""`python -m bot.rasa_server run ...`: Rasa's own command line, with this project's private logging first.

`make serve`, the tests and the benchmarks start the Rasa server this way rather than `python -m rasa`, so
no log line of it can hold a message (bot/private_logs.py) from the moment Rasa configures its logging.
"""

import sys

from bot import private_logs


def main() -> None:
    private_logs.install()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
