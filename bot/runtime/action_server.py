"""Start the Rasa SDK action server for `actions/`, lean and local.

Five differences from `python -m rasa_sdk --actions actions`, all on purpose:
- TensorFlow is kept out of the process (the actions only need spaCy's tokenizer and matchers), which saves
  about 380 MB of resident memory and two seconds of start-up;
- every pipeline, lexicon and matcher the actions use is built before the server listens (`preload`): built
  on first use, the coach's took about a second during someone's turn, and the server answers one call at
  a time, so every conversation waited with them;
- it listens on 127.0.0.1 unless SANIC_HOST says otherwise: only the Rasa server needs to reach it;
- no log line holds what a person wrote (`bot.private_logs`);
- it reads each call's body (the whole conversation) with `bot.runtime.json_text.loads`, not the standard library's
  decoder (the patch bot/runtime/patches/sanic_json_body.py, applied by `patches.apply_all("actions")`).
"""

import os
import sys

from bot import private_logs
from bot.nlp import keep_tensorflow_out
from bot.runtime import patches


def preload() -> None:
    """Run each kind of work the actions do once, so everything they load on first use is loaded now."""
    from bot.coach.engine import assess
    from bot.help import professional_help
    from bot.safety.distress import distress_markers
    from bot.safety.messages import hold_message
    from bot.safety.resources import find_country, resources_for
    from bot.strategies.catalogue import THEMES, next_strategy

    assess("You never listen to me.")
    distress_markers("i feel awful tonight")
    resources_for(find_country("i live in ireland"))
    next_strategy(THEMES[0], [])
    professional_help()
    hold_message()


def main(argv: list[str]) -> None:
    private_logs.install()
    keep_tensorflow_out()
    preload()
    patches.apply_all("actions")
    os.environ.setdefault("SANIC_HOST", "127.0.0.1")
    from rasa_sdk.__main__ import main_from_args
    from rasa_sdk.endpoint import create_argument_parser

    main_from_args(create_argument_parser().parse_args(["--actions", "actions", *argv]))


if __name__ == "__main__":
    main(sys.argv[1:])
