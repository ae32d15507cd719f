"""Command line for the "I feel" coach.

    python -m bot.coach "TEXT"          readable assessment
    python -m bot.coach --json "TEXT"   one JSON object (Assessment.to_dict)
    python -m bot.coach --json          one JSON object per non-blank line of stdin
    python -m bot.coach --eval [PATH]   verdict accuracy on a labelled file as JSON (default
                                        tests/coach/sentences.yml); exit 1 if a class is below TARGET
Bad arguments print the usage line and exit with code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.nlp import keep_tensorflow_out

if TYPE_CHECKING:
    from bot.coach.model import Assessment

USAGE = 'python -m bot.coach [--json] "TEXT" | --json < lines | --eval [SENTENCES.yml]'


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        """Usage line and exit code 2 (argparse's own convention), without the long help."""
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> _Parser:
    parser = _Parser(
        prog="python -m bot.coach",
        usage=USAGE,
        description="Assess a sentence with the 'I feel' rewording coach.",
    )
    parser.add_argument("text", nargs="?", help="the sentence to assess (quote it)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--json", action="store_true", help="print JSON; without TEXT, read one sentence per line"
    )
    mode.add_argument("--eval", nargs="?", const="", metavar="SENTENCES.yml", help="report verdict accuracy")
    return parser


def render(a: Assessment) -> str:
    """A readable, multi-line report of an assessment."""
    lines = [
        f"Text:       {a.text}",
        f"Verdict:    {a.verdict}",
        f"Score:      {a.score}/100",
        f"Complete:   {'yes' if a.complete else 'no'}",
        "Parts:",
    ]
    lines += [f"  {part + ':':<11}{' | '.join(words) if words else '-'}" for part, words in a.parts.items()]
    lines.append("Flags:" if a.flags else "Flags:      none")
    lines += [f"  {f.kind} '{f.text}' [{f.start}:{f.end}]: {f.explanation}" for f in a.flags]
    lines.append("Feedback:")
    lines += [f"  - {line}" for line in a.feedback]
    lines.append(f"Suggestion: {a.suggestion or '-'}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # 2 after a usage error, 0 after --help
        return int(stop.code or 0)
    if args.eval is not None and (args.text is not None or args.eval and not Path(args.eval).is_file()):
        parser.print_usage(sys.stderr)
        print("error: --eval takes an existing sentences file, not TEXT", file=sys.stderr)
        return 2
    if args.eval is None and (
        args.text is None and not args.json or args.text is not None and not args.text.strip()
    ):
        parser.print_usage(sys.stderr)
        print("error: give a non-empty TEXT, or --json to read sentences from stdin", file=sys.stderr)
        return 2

    keep_tensorflow_out()  # before bot.coach loads spaCy
    from bot.coach.engine import assess
    from bot.coach.evaluate import DEFAULT_SENTENCES, TARGET, evaluate_sentences

    if args.eval is not None:
        report = evaluate_sentences(Path(args.eval) if args.eval else DEFAULT_SENTENCES)
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0 if all(accuracy >= TARGET for accuracy in report["per_class"].values()) else 1
    if args.text is not None:
        a = assess(args.text)
        print(json.dumps(a.to_dict(), ensure_ascii=False) if args.json else render(a))
        return 0
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(assess(line.strip()).to_dict(), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
