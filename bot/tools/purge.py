"""`make purge`: delete conversations older than the retention period from the tracker store.

    python -m bot.tools.purge purge --days 30

Uses the tracker store endpoints.yml names (SQLite by default, PostgreSQL in the scale profile), so the
same rule applies wherever conversations are kept.
"""

import argparse
import sys

from bot.paths import ROOT


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Delete conversations older than the retention period.")
    parser.add_argument("command", choices=["purge"])
    parser.add_argument("--days", type=float, required=True, help="retention period in days (> 0)")
    parser.add_argument("--endpoints", default=str(ROOT / "endpoints.yml"))
    args = parser.parse_args(argv)
    if args.days <= 0:
        parser.error("--days must be greater than 0")

    from rasa.core.tracker_store import TrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.utils.endpoints import read_endpoint_config

    from bot.runtime.tracker_store import PrivateSQLTrackerStore

    store = TrackerStore.create(read_endpoint_config(args.endpoints, "tracker_store"),
                                domain=Domain.empty())
    if not isinstance(store, PrivateSQLTrackerStore):
        print(f"endpoints.yml does not use PrivateSQLTrackerStore ({type(store).__name__})",
              file=sys.stderr)
        return 1
    print(f"Deleted {store.purge(args.days)} conversation(s) older than {args.days:g} days.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
