"""The desk's pages in a real headless Chromium: the map, the series, the actor page and
the review queue's bulk actions. Each test saves a screenshot under
tests/admin/screenshots/ (test output, not committed; TRACKER_SCREENSHOTS moves it)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.support.projections import project_everything

from .conftest import log_in, stream_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("TRACKER_SCREENSHOTS", Path(__file__).parent / "screenshots"))
BASE = "/admin/events/incidentrow/"


def shoot(page: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000  # a drawn page, not a blank one
    return path


def test_the_map_draws_outlines_and_markers_and_a_click_opens_the_incident(
    viewer: User, report: Any, new_page: Any
) -> None:
    strike = report(latitude=33.3, longitude=44.4, killed=12, injured=3)
    report(type="deploy", target=None, killed=None, country="POL", location=None)
    page = new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    log_in(page, "viewer")
    page.goto(BASE + "map/")
    page.wait_for_selector("#incident-map[data-outlines-loaded]")
    assert int(page.get_attribute("#incident-map", "data-outlines-loaded") or 0) > 150
    assert page.locator("path.leaflet-interactive").count() == 2  # the two circles
    radii = page.evaluate("() => window.incidentMarkers.map(m => m.marker.getRadius())")
    assert max(radii) > min(radii)  # 15 casualties draw a larger circle than none
    assert page.locator(".map-legend").inner_text().split() == ["attack", "deploy"]
    shoot(page, "map")
    # Everything the page loaded came from this server: no tiles, no CDN.
    assert all(url.startswith(page.url.split("/admin/")[0]) for url in requests)

    page.select_option("#id_type", "attack")
    page.click("#map-filters input[type=submit]")
    page.wait_for_selector("#incident-map[data-ready]")
    assert page.locator("#map-count").inner_text() == "1"
    page.evaluate("() => window.incidentMarkers[0].marker.fire('click')")
    page.wait_for_url(f"**{BASE}{strike}/change/")
    assert page.locator("#current-fields .field-killed").inner_text() == "12"


def test_the_series_draw_and_a_stance_point_opens_its_incident(
    viewer: User, report: Any, new_page: Any
) -> None:
    first = report(type="condemn", actor="USA", target="IRN", killed=None, occurred_on="2024-01-01")
    report(type="attack", actor="USA", target="IRN", occurred_on="2024-03-01")
    report(type="agree", actor="IRN", target="USA", killed=None, occurred_on="2024-02-01")
    for value, on in ((2000, "2024-01-01"), (2500, "2024-01-20")):
        report(
            type="force_level",
            target=None,
            killed=None,
            location="Iraq",
            quantity={"value": value, "unit": "troops"},
            occurred_on=on,
        )
    page = new_page()
    log_in(page, "viewer")
    page.goto(BASE + "series/?actor=USA&target=IRN&country=IRQ")
    page.wait_for_function("() => window.seriesCharts && window.seriesCharts.stance")
    lines = page.evaluate(
        "() => window.seriesCharts.stance.data.datasets.map(d => [d.label, d.data.map(p => p.y)])"
    )
    assert lines[0][0] == "USA → IRN" and lines[0][1][0] == -2.0 and lines[0][1][1] == -10.0
    assert lines[1] == ["IRN → USA", [8.0]]
    band = page.evaluate(
        "() => window.seriesCharts.forces[0].data.datasets.map(d => d.data.map(p => p.y))"
    )
    assert band == [[2000, 2000], [2000, 2500]]  # low, high
    assert page.locator(".force-sources tr").count() == 3  # header + two estimates
    weekly = page.evaluate("() => window.seriesCharts.weekly.data.datasets.map(d => d.label)")
    assert weekly == ["attack", "condemn", "force_level"]
    shoot(page, "series")

    box = page.evaluate(
        """() => { const c = window.seriesCharts.stance;
                   const p = c.getDatasetMeta(0).data[0];
                   const r = c.canvas.getBoundingClientRect();
                   return {x: r.left + p.x, y: r.top + p.y}; }"""
    )
    page.mouse.click(box["x"], box["y"])
    page.wait_for_url(f"**{BASE}{first}/change/")


def test_the_actor_page_brings_forces_stances_ultimatums_and_timeline_together(
    viewer: User, report: Any, new_page: Any
) -> None:
    report(type="ultimatum", actor="USA", target="IRN", killed=None, deadline="2099-01-01T00:00Z")
    report(type="condemn", actor="IRN", target="USA", killed=None)
    report(
        type="force_level",
        target=None,
        killed=None,
        location="Iraq",
        quantity={"value": 2500, "unit": "troops"},
    )
    project_everything()
    page = new_page()
    log_in(page, "viewer")
    page.goto(BASE + "actor/USA/")
    page.wait_for_function("() => window.seriesCharts && window.seriesCharts.forces.length === 1")
    assert "2500" in page.locator("#actor-forces table").first.inner_text()
    assert "IRN" in page.locator("#actor-stances").inner_text()
    assert page.locator("#actor-ultimatums tr.ultimatum[data-status=open]").count() == 1
    assert page.locator("tr.timeline-entry").count() == 3
    shoot(page, "actor")
    page.click("a.stance-series-link")
    page.wait_for_function("() => window.seriesCharts && window.seriesCharts.stance")


def test_the_review_queue_takes_verifies_and_retracts_in_bulk(
    editor: User, report: Any, new_page: Any
) -> None:
    no_target = report(target=None)
    undated = report(occurred_on=None, date_precision=None)
    doubtful = report(confidence=0.3)
    page = new_page()
    log_in(page, "editor")
    page.goto(BASE + "review/")
    assert page.locator("tr.queue-item").count() == 3
    row = page.locator(f"tr.queue-item[data-incident='{undated}']")
    assert row.locator(".reasons").inner_text() == "undated"
    shoot(page, "review-queue")

    page.check(f"tr.queue-item[data-incident='{no_target}'] input.entry-tick")
    page.check(f"tr.queue-item[data-incident='{undated}'] input.entry-tick")
    page.click("#bulk-take")
    page.wait_for_load_state()
    page.select_option("select[name=who]", "mine")
    page.click("#queue-filters input[type=submit]")
    page.wait_for_load_state()
    assert page.locator("tr.queue-item").count() == 2
    assert page.locator("td.assignee").all_inner_texts() == ["editor", "editor"]

    page.click("#tick-all")
    page.click("#bulk-verify")
    page.wait_for_load_state()
    assert "2 incident(s) verified." in page.locator(".messagelist").inner_text()
    assert stream_of(no_target)[-1].type == "IncidentVerified"
    assert stream_of(undated)[-1].metadata["user"] == "editor"

    project_everything()
    page.goto(BASE + "review/")
    page.check(f"tr.queue-item[data-incident='{doubtful}'] input.entry-tick")
    page.fill("#bulk-reason", "the wire withdrew the story")
    page.click("#bulk-retract")
    page.wait_for_load_state()
    assert "1 incident(s) retracted." in page.locator(".messagelist").inner_text()
    assert stream_of(doubtful)[-1].data["reason"] == "the wire withdrew the story"
    project_everything()
    page.goto(BASE + "review/")
    assert page.locator("#queue-empty").is_visible()
    shoot(page, "review-queue-empty")


def test_from_the_queue_an_action_opens_the_next_entry(
    editor: User, report: Any, new_page: Any
) -> None:
    report(target=None)
    report(occurred_on=None, date_precision=None)
    page = new_page()
    log_in(page, "editor")
    page.goto(BASE + "review/")
    first_id = page.locator("tr.queue-item").first.get_attribute("data-incident")
    second_id = page.locator("tr.queue-item").nth(1).get_attribute("data-incident")
    page.locator("tr.queue-item").first.locator("a.queue-open").click()
    page.wait_for_selector("#queue-nav")
    page.click("#verify-form input[type=submit]")
    page.wait_for_url(f"**{BASE}{second_id}/change/?queue=1")
    assert "Incident verified." in page.locator(".messagelist").inner_text()
    assert stream_of(first_id)[-1].type == "IncidentVerified"
    shoot(page, "next-in-queue")
