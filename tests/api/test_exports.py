"""The exports (issue 15): each opens in the tool people use (csv module, json.loads per
line, a GeoJSON parser) and matches /api/incidents/ row for row on the seeds."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import geojson
import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from events.exports.plover import PLOVER_TYPES
from events.exports.rows import CSV_COLUMNS
from ingest import services
from ingest.article_files import drafts_from_paths
from ingest.feed_services import create_feed
from registry.models import Actor, Place
from registry.shipped import load_shipped_registry
from tests.support.projections import project_everything

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeds_ingested() -> None:
    load_shipped_registry()
    feed = create_feed(slug="seeds", name="Seeds")
    received = services.receive_articles(
        feed=feed, drafts=drafts_from_paths([SEEDS]), enqueue=False
    )
    for article_id in received.to_classify:
        services.classify_article(article_id=article_id)
    project_everything()


def incidents(**query: Any) -> list[dict[str, Any]]:
    response = APIClient().get("/api/incidents/", {"limit": 500, **query})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["next"] is None, "the seeds fit on one page"
    return list(body["results"])


def export_bytes(name: str, **query: Any) -> bytes:
    response = APIClient().get(f"/api/export/incidents.{name}", query)
    assert response.status_code == 200, response.content
    assert response.streaming, "an export is streamed, not built whole"
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def csv_rows(**query: Any) -> tuple[list[str], list[dict[str, str]], bytes]:
    raw = export_bytes("csv", **query)
    reader = csv.reader(io.StringIO(raw.decode("utf-8"), newline=""))
    header, *rows = list(reader)
    return header, [dict(zip(header, row, strict=True)) for row in rows], raw


def cell(value: Any) -> str:
    return "" if value is None else str(value)


def test_csv_matches_the_incident_list_row_for_row(seeds_ingested: None) -> None:
    header, rows, raw = csv_rows()
    listed = incidents()
    assert header == list(CSV_COLUMNS)
    assert len(listed) > 10
    assert [r["incident_id"] for r in rows] == [i["incident_id"] for i in listed]
    for row, incident in zip(rows, listed, strict=True):
        quantity = incident["quantity"] or {}
        outlets = [s["outlet"] for s in incident["sources"] if s["outlet"]]
        assert row["event_date"] == incident["world_date"]
        assert row["year"] == incident["world_date"][:4]
        assert row["event_type"] == incident["type"]
        assert row["actor1"] == cell(incident["actor"])
        assert row["actor2"] == cell(incident["target"])
        assert row["iso3"] == cell(incident["country"])
        assert row["location"] == cell(incident["location"])
        assert row["latitude"] == cell(incident["latitude"])
        assert row["longitude"] == cell(incident["longitude"])
        assert row["fatalities"] == cell(incident["killed"])
        assert row["injured"] == cell(incident["injured"])
        assert row["quantity"] == cell(quantity.get("value"))
        assert row["unit"] == cell(quantity.get("unit"))
        assert row["factuality"] == incident["factuality"]
        assert row["verified"] == ("true" if incident["verified"] else "false")
        assert float(row["confidence"]) == incident["confidence"]
        assert row["sources"] == "; ".join(dict.fromkeys(outlets))
        assert row["source_count"] == str(len(incident["sources"]))
        assert row["notes"] == incident["sources"][0]["evidence"]
        assert row["deadline"] == cell(incident["deadline"])
        assert row["status"] == incident["status"]
        assert row["last_changed"] == incident["last_recorded_at"]
    # RFC 4180: CRLF line ends; evidence with commas and quotes survives quoting; UTF-8.
    assert raw.count(b"\r\n") >= len(rows) + 1
    assert any("," in r["notes"] for r in rows)
    assert any(not r["notes"].isascii() for r in rows)


def test_csv_kinds_admin1_and_precision_come_from_the_registry_or_stay_empty(
    seeds_ingested: None,
) -> None:
    _, rows, _ = csv_rows()
    kinds = dict(Actor.objects.values_list("code", "kind"))
    places = {p.name: p for p in Place.objects.all()}
    assert any(r["admin1"] for r in rows), "some seed incident is at a registered place"
    for row in rows:
        assert row["actor1_kind"] == kinds.get(row["actor1"], "")
        assert row["actor2_kind"] == kinds.get(row["actor2"], "")
        place = places.get(row["location"])
        if place is not None and place.country == row["iso3"]:
            assert (row["admin1"], row["geo_precision"]) == (place.region, place.precision)
        else:
            assert (row["admin1"], row["geo_precision"]) == ("", "")
        assert row["sub_event_type"] == ""


@pytest.mark.parametrize(
    "query",
    [{"actor": "USA"}, {"type": "deploy", "country": "IRQ"}, {"as_of": "2016-01-01"}],
)
def test_filters_and_time_points_are_the_incident_lists(
    seeds_ingested: None, query: dict[str, str]
) -> None:
    _, rows, _ = csv_rows(**query)
    listed = incidents(**query)
    assert listed, f"the seeds have incidents for {query}"
    assert [r["incident_id"] for r in rows] == [i["incident_id"] for i in listed]


def test_plover_lines_each_load_and_map_every_incident(seeds_ingested: None) -> None:
    lines = export_bytes("plover.jsonl").decode("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    listed = incidents()
    assert [r["id"] for r in records] == [i["incident_id"] for i in listed]
    for record, incident in zip(records, listed, strict=True):
        assert (record["event_type"], record["mode"]) == PLOVER_TYPES[incident["type"]]
        assert record["date"] == incident["world_date"]
        assert (record["actor"] or {}).get("code") == incident["actor"]
        assert (record["recipient"] or {}).get("code") == incident["target"]
        assert record["factuality"] == incident["factuality"]
        assert [s["evidence"] for s in record["sources"]] == [
            s["evidence"] for s in incident["sources"]
        ]
        if incident["latitude"] is not None:
            location = record["location"]
            assert (location["lat"], location["lon"]) == (
                incident["latitude"],
                incident["longitude"],
            )


def test_geojson_is_a_valid_collection_of_the_located_incidents(seeds_ingested: None) -> None:
    collection = geojson.loads(export_bytes("geojson").decode("utf-8"))
    assert isinstance(collection, geojson.FeatureCollection)
    assert collection.is_valid, collection.errors()
    located = [i for i in incidents() if i["latitude"] is not None and i["longitude"] is not None]
    assert located, "some seed incidents have coordinates"
    assert [f["id"] for f in collection["features"]] == [i["incident_id"] for i in located]
    for feature, incident in zip(collection["features"], located, strict=True):
        assert isinstance(feature["geometry"], geojson.Point)
        assert feature["geometry"]["coordinates"] == [incident["longitude"], incident["latitude"]]
        assert feature["properties"]["event_type"] == incident["type"]


def test_the_command_writes_what_the_api_serves(seeds_ingested: None) -> None:
    for name, extension in [("csv", "csv"), ("plover", "plover.jsonl"), ("geojson", "geojson")]:
        out = io.StringIO()
        call_command("export", "--format", name, "--actor", "USA", stdout=out, stderr=io.StringIO())
        assert out.getvalue().encode("utf-8") == export_bytes(extension, actor="USA")


def test_bad_filters_are_refused_with_a_message(seeds_ingested: None) -> None:
    response = APIClient().get("/api/export/incidents.csv", {"since": "2020-13-01"})
    assert response.status_code == 400
    assert "since" in response.json()["detail"]
    with pytest.raises(CommandError, match="--country"):
        call_command("export", "--format", "csv", "--country", "IRAQ", stdout=io.StringIO())


def test_now_from_the_table_and_a_late_time_point_from_the_log_export_the_same_file(
    seeds_ingested: None,
) -> None:
    # Two paths to the same rows: the incidents table (COPY) and the log folded at a
    # time point after everything; one row builder, so the files must be equal.
    assert export_bytes("csv", as_of="2100-01-01") == export_bytes("csv")
    assert export_bytes("geojson", as_of="2100-01-01") == export_bytes("geojson")
