"""Command line: `python -m bot.safety [LISTS.yml]` prints the safety-list figures as JSON.

Exit status 1 when a required figure drops (crisis/abuse recall below 1.00, a check_in sentence with no
reply), so `make eval` and CI catch a pattern regression.
"""

import json
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    """Run the evaluation without loading TensorFlow (spaCy is imported after keep_tensorflow_out)."""
    from bot.nlp import keep_tensorflow_out

    keep_tensorflow_out()
    from bot.safety.evaluation import DEFAULT_LISTS, evaluate_lists

    report = evaluate_lists(Path(argv[0]) if argv else DEFAULT_LISTS)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
