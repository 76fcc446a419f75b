"""`manage.py export --format csv|plover|geojson [filters] > FILE`: the API's exports,
written to stdout with a progress bar on stderr. The filters are the API's, checked by
the same rules; a bad one stops the command with one line and writes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rest_framework.exceptions import ErrorDetail
from tqdm import tqdm

from events.api.export_views import ExportParams
from events.api.params import incident_filter
from events.exports.formats import FORMATS
from events.exports.source import count_incidents
from events.selectors import TimePoint

FILTERS = (
    "type",
    "actor",
    "target",
    "country",
    "since",
    "until",
    "status",
    "needs_review",
    "source",
    "involving",
    "as_of",
    "known_at",
)


def _first_error(errors: Any) -> str:
    if isinstance(errors, dict):
        name, detail = next(iter(errors.items()))
        return f"--{name.replace('_', '-')}: {_first_error(detail)}"
    if isinstance(errors, list):
        return _first_error(errors[0])
    return str(errors) if isinstance(errors, ErrorDetail | str) else repr(errors)


class Command(BaseCommand):
    help = "Export incidents (the API's filters) as CSV, PLOVER JSON Lines or GeoJSON to stdout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        for name in FILTERS:
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, default=None)
        parser.add_argument("--no-progress", action="store_true", help="no bar on stderr")

    def handle(self, *args: Any, **options: Any) -> None:
        given = {name: options[name] for name in FILTERS if options[name] is not None}
        checked = ExportParams(data=given)
        if not checked.is_valid():
            raise CommandError(_first_error(checked.errors))
        p = dict(checked.validated_data)
        point = TimePoint(as_of=p.get("as_of"), known_at=p.get("known_at"))
        wanted = incident_filter(p)
        export = FORMATS[options["format"]]
        bar = tqdm(
            total=count_incidents(point, wanted),
            desc=f"export {export.name}",
            unit="incident",
            file=self.stderr,
            disable=options["no_progress"],
        )
        with bar:
            for piece in export.pieces(point, wanted, bar.update):
                self.stdout.write(piece, ending="")
