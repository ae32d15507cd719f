"""`python -m bot.runtime.patches --fingerprints > tests/runtime/patches/fingerprints.json`: record the
fingerprints of every patch's targets, after checking each patch against the installed Rasa and Sanic."""

from __future__ import annotations

import argparse
import json

from bot.runtime.patches.fingerprints import fingerprints


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.runtime.patches", description=__doc__)
    parser.add_argument("--fingerprints", action="store_true", required=True,
                        help="print the fingerprints of every patch's targets as JSON")
    parser.parse_args()
    print(json.dumps(fingerprints(), indent=2))


if __name__ == "__main__":
    main()
