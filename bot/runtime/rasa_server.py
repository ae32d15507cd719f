"""`python -m bot.runtime.rasa_server run ...`: Rasa's own command line, with this project's private logging and
its replacements of Rasa internals first.

`make serve`, the tests and the benchmarks start the Rasa server this way rather than `python -m rasa`, so
no log line of it can hold a message (bot/private_logs.py) from the moment Rasa configures its logging, and
the patches (bot/runtime/patches) are in place before Rasa loads the model; each Sanic worker, forked from
this process, inherits them.
"""

import sys

from bot import private_logs
from bot.runtime import patches


def main() -> None:
    private_logs.install()
    patches.apply_all("rasa")
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
