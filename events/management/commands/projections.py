"""`manage.py projections rebuild [NAME]` and `manage.py projections status`.

A rebuild folds the log into fresh tables and swaps them in with the checkpoint in one
short transaction: readers never see a half-built projection (events.projections.engine.projector).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from events import replicas, store
from events.integrity.roles import use_owner_connection
from events.projections.engine.projectors import PROJECTORS
from events.projections.engine.status import lag_of


class Command(BaseCommand):
    help = "Rebuild projections from the log, or show how far behind the log each one is."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        rebuild = actions.add_parser("rebuild", help="replay the log into fresh rows")
        rebuild.add_argument("name", nargs="?", help=f"one of: {', '.join(PROJECTORS)}")
        actions.add_parser("status", help="each projection's checkpoint and lag")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "status":
            self._status()
        else:
            self._rebuild(options.get("name"))

    def _rebuild(self, name: str | None) -> None:
        if name and name not in PROJECTORS:
            raise CommandError(f"unknown projection {name!r}: choose from {', '.join(PROJECTORS)}")
        use_owner_connection()  # swapping tables in takes their owner
        total = store.events_after("")  # counted once: every rebuild reads the whole log
        for projector in [PROJECTORS[name]] if name else PROJECTORS.values():
            with tqdm(total=total, desc=projector.name, unit="ev", file=sys.stderr) as bar:
                replayed = projector.rebuild(progress=bar.update)
            self.stdout.write(f"{projector.name}: rebuilt from {replayed} events")

    def _status(self) -> None:
        for name in PROJECTORS:
            lag = lag_of(name)
            where = lag.cursor or "start"
            self.stdout.write(
                f"{name}: {lag.behind} events behind (checkpoint {where}, {lag.events_seen} seen)"
            )
        for alias in replicas.replica_aliases():
            self.stdout.write(replica_line(replicas.replica_report(alias)))


def replica_line(report: dict[str, Any]) -> str:
    """One replica's lag for `projections status`."""
    alias = report["alias"]
    if "error" in report:
        return f"replica {alias}: not answering ({report['error']})"
    seconds = report["lag_seconds"]
    lag = "unknown" if seconds is None else f"{seconds:.3f} s"
    streaming = "streaming" if report["streaming"] else "NOT streaming from the primary"
    if not report["in_recovery"]:
        streaming = "not a standby"
    return (
        f"replica {alias}: {lag} behind, {report['events_behind']} events behind "
        f"(head {report['head'] or 'empty'}, {streaming})"
    )
