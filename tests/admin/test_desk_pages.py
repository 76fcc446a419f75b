"""The desk's map, series and actor pages, as the server builds them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from newsroom import series

pytestmark = pytest.mark.django_db(transaction=True)
BASE = "/admin/events/incidentrow/"


@pytest.fixture
def viewer_client(viewer: User) -> Client:
    client = Client()
    client.force_login(viewer)
    return client


def force(report: Any, **fields: Any) -> Any:
    values = {"type": "force_level", "target": None, "killed": None, "location": "Iraq"}
    return report(**{**values, **fields})


def test_the_map_places_filters_and_sizes_incidents(viewer_client: Client, report: Any) -> None:
    placed = report(latitude=33.3, longitude=44.4, killed=5, injured=4)
    by_country = report(type="condemn", actor="IRN", target="USA", killed=None)
    report(country=None, location=None, occurred_on="2023-01-01")
    page = viewer_client.get(BASE + "map/")
    assert page.status_code == 200
    data = page.context["map_data"]
    points = {p["id"]: p for p in data["points"]}
    assert set(points) == {str(placed), str(by_country)} and data["unplaced"] == 1
    assert (points[str(placed)]["lat"], points[str(placed)]["casualties"]) == (33.3, 9)
    assert points[str(placed)]["url"] == f"{BASE}{placed}/change/"
    assert points[str(by_country)]["approximate"] is True  # Iraq's centre
    assert "newsroom/vendor/leaflet/leaflet.js" in page.text
    assert "world-atlas-countries-110m.json" in page.text
    assert "unpkg" not in page.text and "cdn" not in page.text.lower()

    def ids(**query: str) -> set[str]:
        return {
            p["id"] for p in viewer_client.get(BASE + "map/", query).context["map_data"]["points"]
        }

    assert ids(type="condemn") == {str(by_country)}
    assert ids(actor="usa") == {str(placed), str(by_country)}  # as actor or target
    assert ids(actor="IRN", country="IRQ") == {str(by_country)}
    assert ids(since="2024-01-05") == set()
    assert ids(until="2024-01-04") == {str(placed), str(by_country)}


def test_bad_map_filters_are_form_errors(viewer_client: Client, report: Any) -> None:
    report()
    for query in ({"since": "yesterday"}, {"since": "2024-02-01", "until": "2024-01-01"}):
        page = viewer_client.get(BASE + "map/", query)
        assert page.status_code == 200
        assert page.context["form"].errors and page.context["map_data"]["points"] == []


def test_the_tile_url_setting_reaches_the_map(
    viewer_client: Client, settings: Any, report: Any
) -> None:
    settings.TRACKER_MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    page = viewer_client.get(BASE + "map/")
    assert page.context["map_data"]["tile_url"] == "https://tiles.example/{z}/{x}/{y}.png"


def test_stance_series_scores_after_each_incident_both_ways(report: Any) -> None:
    first = report(type="condemn", actor="USA", target="IRN", occurred_on="2024-01-01")
    report(type="condemn", actor="USA", target="IRN", occurred_on="2024-01-02")
    report(type="agree", actor="IRN", target="USA", occurred_on="2024-01-03")
    lines = series.stance_series("USA", "IRN")["lines"]
    usa = lines["USA → IRN"]
    assert [p["x"] for p in usa] == ["2024-01-01", "2024-01-02"]
    assert usa[0]["y"] == -2.0 and usa[0]["url"].endswith(f"{first}/change/")
    assert -4.0 < usa[1]["y"] < -3.9  # the first condemnation decayed by a day
    assert [p["y"] for p in lines["IRN → USA"]] == [8.0]


def test_force_series_steps_with_their_range_and_sources(report: Any) -> None:
    force(report, quantity={"value": 2000, "unit": "troops"}, occurred_on="2024-01-01")
    force(report, quantity={"value": 2500, "unit": "troops"}, occurred_on="2024-01-10")
    report(
        type="deploy",
        target=None,
        killed=None,
        location="Iraq",
        quantity={"value": 300, "unit": "troops"},
        occurred_on="2024-02-01",
    )
    (line,) = series.force_series("USA", "irq")
    steps = [(s["x"], s["low"], s["high"]) for s in line["steps"]]
    assert steps == [
        ("2024-01-01", 2000, 2000),
        ("2024-01-10", 2000, 2500),
        ("2024-02-01", 2300, 2800),
    ]
    assert sorted(e["size"] for e in line["estimates"]) == [2000, 2500]
    assert line["estimates"][0]["sources"][0]["outlet"] == "Wire"


def test_weekly_incidents_counts_dated_ones_and_tells_the_undated(report: Any) -> None:
    report(occurred_on="2024-01-01")
    report(occurred_on="2024-01-03", type="condemn")
    report(occurred_on="2024-01-15")
    report(occurred_on=None, date_precision=None)
    weekly = series.weekly_incidents("USA")
    assert weekly["labels"] == ["2024-01-01", "2024-01-08", "2024-01-15"]
    assert {d["label"]: d["data"] for d in weekly["datasets"]} == {
        "attack": [1, 0, 1],
        "condemn": [1, 0, 0],
    }
    assert weekly["undated"] == 1


def test_series_and_actor_pages_render(viewer_client: Client, report: Any) -> None:
    report(type="ultimatum", actor="USA", target="IRN", killed=None, deadline="2024-02-01T00:00Z")
    force(report, quantity={"value": 2000, "unit": "troops"})
    page = viewer_client.get(BASE + "series/", {"actor": "usa", "target": "irn", "country": "irq"})
    assert page.status_code == 200
    assert 'id="stance-chart"' in page.text and 'class="force-chart"' in page.text
    assert 'id="weekly-chart"' in page.text
    assert viewer_client.get(BASE + "series/", {"actor": ""}).status_code == 200

    from tests.support.projections import project_everything

    project_everything()
    actor = viewer_client.get(BASE + "actor/USA/")
    assert actor.status_code == 200
    for section in ("actor-forces", "actor-stances", "actor-ultimatums", "actor-timeline"):
        assert f'id="{section}"' in actor.text
    assert actor.context["ultimatums"][0]["addressee"] == "IRN"
    assert actor.context["force_series"][0]["steps"][0]["high"] == 2000
    assert actor.text.count('class="timeline-entry"') == 2
    assert viewer_client.get(BASE + "actor/NOBODY/").status_code == 404
