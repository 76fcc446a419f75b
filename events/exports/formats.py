"""The export formats as text pieces: each chunk of incidents becomes one piece of the
file, so a writer (an HTTP response, stdout) never holds more than a chunk. `progress`
is told how many incidents each piece held."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from events.domain.incident_state import IncidentState
from events.exports.plover import plover_record
from events.exports.rows import CSV_COLUMNS, RegistryFacts, export_row, outlets
from events.exports.source import incident_chunks
from events.selectors import IncidentFilter, TimePoint

Progress = Callable[[int], object]


def _csv_text(rows: Iterable[Sequence[Any]]) -> str:
    # RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break.
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return buffer.getvalue()


def csv_pieces(point: TimePoint, wanted: IncidentFilter, progress: Progress) -> Iterator[str]:
    facts = RegistryFacts.load()
    yield _csv_text([CSV_COLUMNS])
    for states in incident_chunks(point, wanted):
        yield _csv_text([export_row(s, facts) for s in states])
        progress(len(states))


def plover_pieces(point: TimePoint, wanted: IncidentFilter, progress: Progress) -> Iterator[str]:
    facts = RegistryFacts.load()
    for states in incident_chunks(point, wanted):
        yield b"".join(orjson.dumps(plover_record(s, facts)) + b"\n" for s in states).decode()
        progress(len(states))


def located(state: IncidentState) -> bool:
    fields = state.fields
    return fields.get("latitude") is not None and fields.get("longitude") is not None


def feature(state: IncidentState, facts: RegistryFacts) -> bytes:
    """A GeoJSON Point feature; its properties are the CSV row's (the outlets as a list,
    `verified` a boolean)."""
    properties = dict(zip(CSV_COLUMNS, export_row(state, facts), strict=True))
    longitude, latitude = properties.pop("longitude"), properties.pop("latitude")
    properties["sources"] = outlets(state.active_sources)
    properties["verified"] = state.verified
    return orjson.dumps(
        {
            "type": "Feature",
            "id": state.incident_id,
            "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
            "properties": properties,
        }
    )


def geojson_pieces(point: TimePoint, wanted: IncidentFilter, progress: Progress) -> Iterator[str]:
    """A FeatureCollection of the incidents with coordinates."""
    facts = RegistryFacts.load()
    yield '{"type":"FeatureCollection","features":['
    first = True
    for states in incident_chunks(point, wanted):
        features = [feature(s, facts) for s in states if located(s)]
        if features:
            yield ("" if first else ",") + b",".join(features).decode()
            first = False
        progress(len(states))
    yield "]}\n"


@dataclass(frozen=True)
class ExportFormat:
    name: str
    content_type: str
    extension: str
    pieces: Callable[[TimePoint, IncidentFilter, Progress], Iterator[str]]


FORMATS = {
    "csv": ExportFormat("csv", "text/csv; charset=utf-8", "csv", csv_pieces),
    "plover": ExportFormat(
        "plover", "application/x-ndjson; charset=utf-8", "plover.jsonl", plover_pieces
    ),
    "geojson": ExportFormat("geojson", "application/geo+json", "geojson", geojson_pieces),
}
