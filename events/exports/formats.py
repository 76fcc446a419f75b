"""The export formats as text chunks: each chunk of incident states becomes one piece of
the file, so a writer (an HTTP response, stdout) never holds more than a chunk."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import orjson

from events.exports.plover import plover_record
from events.exports.rows import CSV_COLUMNS, RegistryFacts, csv_values, export_row
from events.projections.incident_state import IncidentState
from registry.models import Actor

Chunks = Iterable[list[IncidentState]]


def _csv_text(rows: Iterable[list[str]]) -> str:
    # RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break.
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return buffer.getvalue()


def csv_chunks(chunks: Chunks) -> Iterator[str]:
    yield _csv_text([list(CSV_COLUMNS)])
    facts = RegistryFacts.load()
    for states in chunks:
        facts.learn_places(states)
        yield _csv_text(csv_values(export_row(s, facts)) for s in states)


def plover_chunks(chunks: Chunks) -> Iterator[str]:
    facts = RegistryFacts.load()
    names = dict(Actor.objects.values_list("code", "name"))
    for states in chunks:
        facts.learn_places(states)
        yield "".join(orjson.dumps(plover_record(s, facts, names)).decode() + "\n" for s in states)


def located(state: IncidentState) -> bool:
    fields = state.fields
    return fields.get("latitude") is not None and fields.get("longitude") is not None


def geojson_chunks(chunks: Chunks) -> Iterator[str]:
    """A FeatureCollection of the incidents with coordinates; the properties are the CSV
    row's (the outlets as a list)."""
    yield '{"type":"FeatureCollection","features":['
    facts = RegistryFacts.load()
    first = True
    for states in chunks:
        facts.learn_places(states)
        features = []
        for state in filter(located, states):
            properties = export_row(state, facts)
            longitude = properties.pop("longitude")
            latitude = properties.pop("latitude")
            features.append(
                orjson.dumps(
                    {
                        "type": "Feature",
                        "id": state.incident_id,
                        "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
                        "properties": properties,
                    }
                ).decode()
            )
        if features:
            yield ("" if first else ",") + ",".join(features)
            first = False
    yield "]}\n"


@dataclass(frozen=True)
class ExportFormat:
    name: str
    content_type: str
    extension: str
    chunks: Callable[[Chunks], Iterator[str]]


FORMATS = {
    "csv": ExportFormat("csv", "text/csv; charset=utf-8", "csv", csv_chunks),
    "plover": ExportFormat(
        "plover", "application/x-ndjson; charset=utf-8", "plover.jsonl", plover_chunks
    ),
    "geojson": ExportFormat("geojson", "application/geo+json", "geojson", geojson_chunks),
}
