"""`manage.py bench <name>`: benchmarks that print figures (never timed tests).

Each benchmark is a module with `run(stdout, **options)`; this command only dispatches.
"""

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bench import api, classify, export, pipeline, replay, store, stream

BENCHMARKS: dict[str, Callable[..., None]] = {
    "store": store.run,
    "replay": replay.run,
    "classify": classify.run,
    "pipeline": pipeline.run,
    "api": api.run,
    "export": export.run,
    "stream": stream.run,
}


class Command(BaseCommand):
    help = "Run a benchmark and print its figures: " + ", ".join(BENCHMARKS)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", choices=sorted(BENCHMARKS))
        parser.add_argument("--seconds", type=float, default=None, help="duration per case")
        parser.add_argument("--size", type=int, default=None, help="workload size")

    def handle(self, *args: Any, **options: Any) -> None:
        BENCHMARKS[options["name"]](
            self.stdout,
            seconds=options["seconds"],
            size=options["size"],
        )
