"""`manage.py extract [--published YYYY-MM-DD] [--input-format text|jsonl] PATH...`

Events as JSON Lines on stdout (nothing else there); progress and warnings on stderr.
No database writes, no broker (../shared/spec/extraction.md)."""

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ingest.classify import extract_with_report
from ingest.classify.inputs import InputError, iter_articles
from ingest.registry_cache import current_registry


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--published: {value!r} is not a date YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "Read articles into conflict events (JSON Lines on stdout)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--published", default=None, help="publication date YYYY-MM-DD")
        parser.add_argument("--input-format", choices=["text", "jsonl"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        published = iso_date(options["published"]) if options["published"] else None
        paths = [Path(p) for p in options["paths"]]
        articles = events = 0
        registry = current_registry()
        try:
            for article in iter_articles(paths, options["input_format"], published):
                result = extract_with_report(article, registry)
                for warning in result.warnings:
                    self.stderr.write(f"warning: {article.id}: {warning}")
                for event in result.events:
                    self.stdout.write(json.dumps(event.to_json(), ensure_ascii=False))
                articles += 1
                events += len(result.events)
                self.stderr.write(f"{article.id}: {len(result.events)} events")
        except InputError as error:
            raise CommandError(str(error)) from None
        self.stderr.write(f"{articles} articles, {events} events")
