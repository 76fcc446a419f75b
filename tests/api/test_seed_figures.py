"""The seed articles, ingested and classified by the real pipeline, then read through the
API: the figures issue 5 promises."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from events.selectors import NOW, IncidentFilter, list_incidents
from ingest import services
from ingest.article_files import drafts_from_paths
from ingest.feed_services import create_feed
from registry.shipped import load_shipped_registry
from tests.support.projections import project_everything

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeds_ingested() -> None:
    # Transactional tests empty every table, the registry that migration 0002 loads included.
    load_shipped_registry()
    feed = create_feed(slug="seeds", name="Seeds")
    received = services.receive_articles(
        feed=feed, drafts=drafts_from_paths([SEEDS]), enqueue=False
    )
    for article_id in received.to_classify:
        services.classify_article(article_id=article_id)
    project_everything()


def get(url: str, **query: Any) -> Any:
    response = APIClient().get(url, query)
    assert response.status_code == 200, response.content
    return response.json()


def test_us_forces_in_iraq_mid_2024_are_2000_to_2500_from_two_sources(seeds_ingested: None) -> None:
    rows = get("/api/forces/", actor="USA", country="IRQ", as_of="2024-06-30")["results"]
    [country_wide] = [r for r in rows if r["place"] == "" and r["unit"] == "troops"]
    assert (country_wide["low"], country_wide["high"]) == (2000, 2500)
    sides = {e["size"]: e["sources"] for e in country_wide["estimates"]}
    assert sorted(sides) == [2000, 2500]
    assert {s["article_id"] for s in sides[2000]} != {s["article_id"] for s in sides[2500]}

    denied = list_incidents(NOW, IncidentFilter(type="deploy", actor="USA"), limit=100, offset=0)
    denied_ids = {i["incident_id"] for i in denied.results if i["factuality"] == "denied"}
    assert denied_ids, "the classifier should report the denied 1,500-troop deployment"
    assert any(i["quantity"] and i["quantity"]["value"] == 1500 for i in denied.results)
    assert not denied_ids & set(country_wide["incident_ids"])


def test_turkey_has_a_battalion_near_mosul_from_december_2015(seeds_ingested: None) -> None:
    [battalion] = [r for r in get("/api/actors/TUR/")["forces"] if r["unit"] == "battalion"]
    assert (battalion["country"], battalion["place"], battalion["low"]) == ("IRQ", "Mosul", 1)
    assert battalion["since"].startswith("2015-12")


def test_iraqs_48_hour_ultimatum_to_turkey(seeds_ingested: None) -> None:
    ultimatums = get("/api/ultimatums/", actor="TUR")["results"]
    [ultimatum] = [u for u in ultimatums if (u["issuer"], u["addressee"]) == ("IRQ", "TUR")]
    assert ultimatum["deadline"].startswith("2015-12")
    assert ultimatum["status"] == "expired"
    assert "48 hours" in " ".join(s["evidence"] for s in ultimatum["sources"])
    as_issued = get("/api/ultimatums/", status="open", as_of=ultimatum["issued_on"])["results"]
    assert [u["incident_id"] for u in as_issued] == [ultimatum["incident_id"]]
