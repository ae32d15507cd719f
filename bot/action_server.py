"""Start the Rasa SDK action server for `actions/`, lean and local.

Two differences from `python -m rasa_sdk --actions actions`, both on purpose:
- TensorFlow is kept out of the process (the actions only need spaCy's tokenizer and matchers), which saves
  about 380 MB of resident memory and two seconds of start-up;
- it listens on 127.0.0.1 unless SANIC_HOST says otherwise: only the Rasa server needs to reach it.
"""

import os
import sys

from bot.nlp import keep_tensorflow_out


def main(argv: list[str]) -> None:
    keep_tensorflow_out()
    os.environ.setdefault("SANIC_HOST", "127.0.0.1")
    from rasa_sdk.__main__ import main_from_args
    from rasa_sdk.endpoint import create_argument_parser

    main_from_args(create_argument_parser().parse_args(["--actions", "actions", *argv]))


if __name__ == "__main__":
    main(sys.argv[1:])
