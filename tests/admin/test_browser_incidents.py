"""The newsroom admin in a real headless Chromium, against a live server."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.support.projections import project_everything

from .conftest import log_in, stream_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def page_url(incident_id: Any) -> str:
    return f"/admin/events/incidentrow/{incident_id}/change/"


def correct(page: Any, *, killed: str, reason: str) -> None:
    page.fill("#correct-form #id_killed", killed)
    page.fill("#correct-form #id_reason", reason)
    page.click("#correct-form input[type=submit]")
    page.wait_for_load_state()


def test_an_editor_corrects_an_incident_and_the_api_shows_it(
    editor: User, report: Any, new_page: Any
) -> None:
    incident_id = report()
    page = new_page()
    log_in(page, "editor")
    page.goto(page_url(incident_id))
    assert page.locator("#current-fields .field-killed").inner_text() == "2"

    correct(page, killed="5", reason="ministry revised the toll")

    assert "Correction recorded." in page.locator(".messagelist").inner_text()
    assert page.locator("#current-fields .field-killed").inner_text() == "5"
    entry = page.locator("tr.history-entry[data-type=IncidentCorrected]")
    assert entry.locator(".who").inner_text() == "editor"
    assert entry.locator(".why").inner_text() == "ministry revised the toll"
    assert "killed: 5" in entry.inner_text()

    project_everything()
    api = page.request.get(f"/api/incidents/{incident_id}/")
    assert api.status == 200
    body = api.json()
    assert body["killed"] == 5 and body["version"] == 2
    assert body["corrections"][0]["reason"] == "ministry revised the toll"


def test_a_viewer_cannot_correct(viewer: User, report: Any, new_page: Any) -> None:
    incident_id = report()
    page = new_page()
    log_in(page, "viewer")
    page.goto(page_url(incident_id))
    assert page.locator("#current-fields .field-killed").inner_text() == "2"
    assert page.locator("#correct-form, #verify-form, #retract-form").count() == 0
    assert page.locator("#read-only-note").is_visible()

    # Forging the request the form would send is refused too.
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    forged = page.request.post(
        page_url(incident_id),
        form={
            "command": "correct",
            "expected_version": "1",
            "type": "attack",
            "killed": "9",
            "status": "asserted",
            "reason": "forged by a viewer",
            "csrfmiddlewaretoken": csrf,
        },
        headers={"Referer": page.url},
    )
    assert forged.status == 403
    assert len(stream_of(incident_id)) == 1


def test_two_editors_at_once_the_second_gets_the_conflict_and_loses_nothing(
    editor: User, make_user: Any, report: Any, new_page: Any
) -> None:
    make_user("editor2", "Editors")
    incident_id = report()
    first, second = new_page(), new_page()
    log_in(first, "editor")
    log_in(second, "editor2")
    first.goto(page_url(incident_id))
    second.goto(page_url(incident_id))  # both pages show version 1

    correct(first, killed="5", reason="ministry revised the toll")
    assert "Correction recorded." in first.locator(".messagelist").inner_text()

    correct(second, killed="9", reason="hospital count is higher")
    message = second.locator(".messagelist").inner_text()
    assert "Someone else changed this incident" in message and "Nothing was saved" in message
    assert second.locator("#incident-version").inner_text() == "2"
    assert second.locator("#current-fields .field-killed").inner_text() == "5"
    assert second.locator("#correct-form #id_killed").input_value() == "9"  # the draft stays
    assert second.locator("#correct-form #id_reason").input_value() == "hospital count is higher"
    changes = [e.data["changes"] for e in stream_of(incident_id) if e.type == "IncidentCorrected"]
    assert changes == [{"killed": 5}]

    # Having seen the current state, the second editor can still submit on purpose.
    second.click("#correct-form input[type=submit]")
    second.wait_for_load_state()
    assert "Correction recorded." in second.locator(".messagelist").inner_text()
    last = stream_of(incident_id)[-1]
    assert (last.data["changes"], last.metadata["user"]) == ({"killed": 9}, "editor2")


def test_review_queue_one_click_verify_and_dashboard_chart(
    editor: User, report: Any, new_page: Any
) -> None:
    doubtful = report(confidence=0.3)
    report(type="condemn", actor="IRN", target="USA", killed=None)
    page = new_page()
    log_in(page, "editor")
    page.goto("/admin/events/incidentrow/dashboard/")
    page.wait_for_function("() => window.incidentsChart !== undefined")
    labels = page.evaluate("() => window.incidentsChart.data.datasets.map(d => d.label)")
    assert labels == ["attack", "condemn"]
    assert page.locator("#review-count").inner_text() == "1"

    page.goto("/admin/events/incidentrow/review/")
    item = page.locator(f"tr.queue-item[data-incident='{doubtful}']")
    item.locator(".queue-verify input[type=submit]").click()
    page.wait_for_load_state()
    assert "Incident verified." in page.locator(".messagelist").inner_text()
    assert page.url.endswith("/admin/events/incidentrow/review/")
    assert stream_of(doubtful)[-1].type == "IncidentVerified"
