"""`manage.py evaluate GOLD.jsonl PATH... [--verbose]`: run the classifier over the articles
at PATH (as `extract` reads them) and score the events against the gold file, printing
precision, recall, F1 and per-attribute accuracy exactly as ../shared/tools/score_extraction.py
does."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ingest.evaluation.evaluation import EvaluationError, evaluate_with_tables
from ingest.management.commands.extract import iso_date
from ingest.registry_cache import current_registry


class Command(BaseCommand):
    help = "Score the classifier on articles against a gold JSON Lines file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("gold", metavar="GOLD.jsonl")
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--published", default=None, help="publication date YYYY-MM-DD")
        parser.add_argument("--input-format", choices=["text", "jsonl"], default="text")
        parser.add_argument("--verbose", action="store_true", help="list misses and extras")
        parser.add_argument(
            "--tables",
            action="store_true",
            help="also print per-type and per-region tables (regions from manifest.json)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        published = iso_date(options["published"]) if options["published"] else None
        try:
            result, tables = evaluate_with_tables(
                Path(options["gold"]),
                [Path(p) for p in options["paths"]],
                current_registry(),
                options["input_format"],
                published,
            )
        except (EvaluationError, json.JSONDecodeError) as error:
            raise CommandError(str(error)) from None
        for line in result.report(verbose=options["verbose"]):
            self.stdout.write(line)
        if options["tables"]:
            for line in tables:
                self.stdout.write(line)
