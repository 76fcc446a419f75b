"""The review queue: why each entry is there, "mine", bulk verify and retract, and the
next entry after an action."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from newsroom import selectors
from tests.support.projections import project_everything

from .conftest import stream_of

pytestmark = pytest.mark.django_db(transaction=True)
QUEUE = "/admin/events/incidentrow/review/"
BULK = "/admin/events/incidentrow/review/bulk/"


@pytest.fixture
def editor_client(editor: User) -> Client:
    client = Client()
    client.force_login(editor)
    return client


def reasons_of(incident_id: Any) -> list[str]:
    return next(e.reasons for e in selectors.review_queue() if e.row.incident_id == incident_id)


def test_each_entry_says_why_it_is_there(report: Any) -> None:
    sure = report(confidence=0.95)
    undated = report(occurred_on=None, date_precision=None)
    no_target = report(target=None)
    no_place = report(location=None, country=None)
    unknown = report(actor="Wagner-ish Unit")
    doubtful = report(confidence=0.3)
    condemn_without_place = report(type="condemn", location=None, country=None, killed=None)

    ids = {e.row.incident_id for e in selectors.review_queue()}
    assert sure not in ids and condemn_without_place not in ids
    assert reasons_of(undated) == ["undated"]
    assert reasons_of(no_target) == ["missing target"]
    assert reasons_of(no_place) == ["missing place"]
    assert reasons_of(unknown) == ["unknown actor"]
    assert reasons_of(doubtful) == ["flagged by the classifier", "low confidence (0.30 < 0.60)"]


def test_the_queue_filters_by_reason_and_shows_it(editor_client: Client, report: Any) -> None:
    undated = report(occurred_on=None, date_precision=None)
    report(target=None)
    page = editor_client.get(QUEUE, {"reason": "undated"})
    assert page.text.count('class="queue-item"') == 1
    assert str(undated) in page.text
    assert '<span class="reason">undated</span>' in page.text
    assert editor_client.get(QUEUE, {"reason": "nonsense"}).text.count('class="queue-item"') == 2


def test_take_entries_then_mine_shows_them(
    editor: User, editor_client: Client, make_user: Any, report: Any
) -> None:
    first, second = report(target=None), report(occurred_on=None)
    response = editor_client.post(BULK, {"action": "take", "entry": [f"{first}:1"]})
    assert response.status_code == 302
    mine = editor_client.get(QUEUE, {"who": "mine"})
    assert mine.text.count('class="queue-item"') == 1 and str(first) in mine.text
    nobody = editor_client.get(QUEUE, {"who": "unassigned"})
    assert nobody.text.count('class="queue-item"') == 1 and str(second) in nobody.text

    other = Client()
    other.force_login(make_user("editor2", "Editors"))
    assert other.get(QUEUE, {"who": "mine"}).text.count('class="queue-item"') == 0
    editor_client.post(BULK, {"action": "release", "entry": [f"{first}:1"]})
    assert editor_client.get(QUEUE, {"who": "mine"}).text.count('class="queue-item"') == 0


def test_bulk_verify_and_retract_write_one_event_each(editor_client: Client, report: Any) -> None:
    a, b, c = report(target=None), report(occurred_on=None), report(confidence=0.2)
    editor_client.post(BULK, {"action": "verify", "entry": [f"{a}:1", f"{b}:1"]})
    assert [e.type for e in stream_of(a)] == ["IncidentReported", "IncidentVerified"]
    assert stream_of(b)[-1].metadata["user"] == "editor"

    short = editor_client.post(BULK, {"action": "retract", "reason": "x", "entry": [f"{c}:1"]})
    assert short.status_code == 302 and len(stream_of(c)) == 1
    editor_client.post(BULK, {"action": "retract", "reason": "no such strike", "entry": [f"{c}:1"]})
    assert stream_of(c)[-1].type == "IncidentRetracted"
    assert stream_of(c)[-1].data["reason"] == "no such strike"
    project_everything()
    assert 'id="queue-empty"' in editor_client.get(QUEUE).text


def test_a_stale_entry_in_a_bulk_action_is_refused_and_the_others_done(
    editor_client: Client, report: Any
) -> None:
    fresh, moved = report(target=None), report(occurred_on=None)
    editor_client.post(BULK, {"action": "verify", "entry": [f"{moved}:1"]})
    response = editor_client.post(
        BULK, {"action": "verify", "entry": [f"{fresh}:1", f"{moved}:1"]}, follow=True
    )
    text = response.content.decode()
    assert "1 incident(s) verified." in text
    assert f"Not verified: {moved}" in text
    assert len(stream_of(moved)) == 2 and len(stream_of(fresh)) == 2


def test_a_viewer_cannot_bulk_verify(viewer: User, report: Any) -> None:
    incident_id = report(target=None)
    client = Client()
    client.force_login(viewer)
    assert client.post(BULK, {"action": "verify", "entry": [f"{incident_id}:1"]}).status_code == 403
    assert len(stream_of(incident_id)) == 1


def test_after_an_action_from_the_queue_the_next_entry_opens(
    editor_client: Client, report: Any
) -> None:
    first, second = report(target=None), report(occurred_on=None)
    order = [e.row.incident_id for e in selectors.review_queue()]
    assert set(order) == {first, second}
    response = editor_client.post(
        f"/admin/events/incidentrow/{order[0]}/change/",
        {"command": "verify", "expected_version": 1, "then": "next-in-queue"},
    )
    assert response["Location"] == f"/admin/events/incidentrow/{order[1]}/change/?queue=1"
    project_everything()
    last = editor_client.post(
        f"/admin/events/incidentrow/{order[1]}/change/",
        {"command": "retract", "expected_version": 1, "reason": "wrong", "then": "next-in-queue"},
    )
    assert last["Location"] == QUEUE


def test_a_date_inferred_from_the_publication_is_not_undated(report: Any) -> None:
    import uuid

    from events import services

    incident_id = uuid.uuid4()
    services.report_incident(
        incident_id=incident_id,
        fields={"type": "condemn", "actor": "IRN", "target": "USA"},
        source={"outlet": "Wire", "published_at": "2024-01-05T08:00:00Z", "confidence": 0.9},
    )
    project_everything()
    assert incident_id not in {e.row.incident_id for e in selectors.review_queue()}
