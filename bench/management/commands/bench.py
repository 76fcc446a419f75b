"""`manage.py bench <name>`: benchmarks that print figures (never timed tests).

Each benchmark is a module with `run(stdout, **options)`; this command only dispatches.
"""

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

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
        parser.add_argument(
            "--workers", type=int, default=None, help="pipeline: celery worker processes (2)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        extra: dict[str, Any] = {}
        if options["workers"] is not None:
            if options["name"] != "pipeline":
                raise CommandError("--workers applies to bench pipeline only")
            if options["workers"] < 1:
                raise CommandError("--workers must be at least 1")
            extra["workers"] = options["workers"]
        BENCHMARKS[options["name"]](
            self.stdout,
            seconds=options["seconds"],
            size=options["size"],
            **extra,
        )
