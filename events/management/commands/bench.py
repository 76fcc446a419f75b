"""`manage.py bench <name>`: benchmarks that print figures (never timed tests).

Each benchmark is a module with `run(stdout, **options)`; this command only dispatches.
"""

import importlib
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

BENCHMARKS = {
    "store": "events.benchmarks.store",
    "replay": "events.benchmarks.replay",
    "classify": "ingest.classify.bench",
    "pipeline": "ingest.benchmarks.pipeline",
    "api": "events.benchmarks.api",
}


class Command(BaseCommand):
    help = "Run a benchmark and print its figures: " + ", ".join(BENCHMARKS)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", choices=sorted(BENCHMARKS))
        parser.add_argument("--seconds", type=float, default=None, help="duration per case")
        parser.add_argument("--size", type=int, default=None, help="workload size")

    def handle(self, *args: Any, **options: Any) -> None:
        module_name = BENCHMARKS[options["name"]]
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            raise CommandError(
                f"benchmark {options['name']!r} is not built yet ({error})"
            ) from None
        module.run(
            self.stdout,
            seconds=options["seconds"],
            size=options["size"],
        )
