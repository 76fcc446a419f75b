"""Every incident command of the admin: the event it appends and the projection after it.

Transactional tests: the projector reads committed events only, and it runs after each
command's commit (CELERY_TASK_ALWAYS_EAGER), as it does in the embedded set-up.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from events.projections.rules import IncidentRow, IncidentSource
from tests.support.projections import project_everything

from .conftest import STRIKE_SENTENCE, correction_form, stream_of

pytestmark = pytest.mark.django_db(transaction=True)


def page_url(incident_id: uuid.UUID) -> str:
    return f"/admin/events/incidentrow/{incident_id}/change/"


@pytest.fixture
def editor_client(editor: User) -> Client:
    client = Client()
    client.force_login(editor)
    return client


def test_correct_appends_only_the_changed_fields_and_the_projection_follows(
    editor_client: Client, report: Any
) -> None:
    incident_id = report()
    response = editor_client.post(page_url(incident_id), correction_form(1, killed=5))
    assert response.status_code == 302

    last = stream_of(incident_id)[-1]
    assert last.type == "IncidentCorrected"
    assert last.data["changes"] == {"killed": 5}
    assert last.data["reason"] == "toll revised by the ministry"
    assert last.metadata["user"] == "editor"
    project_everything()
    row = IncidentRow.objects.get(pk=incident_id)
    assert (row.version, row.state["fields"]["killed"]) == (2, 5)

    page = editor_client.get(page_url(incident_id)).text
    assert "IncidentCorrected" in page and "toll revised by the ministry" in page


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"reason": ""}, "This field is required"),
        ({"killed": -3}, "greater than or equal to 0"),
        ({"country": "I1Q"}, "alpha-3"),
        ({"quantity_value": 200}, "needs its unit"),
        ({}, "nothing differs"),  # submitting the form unchanged
    ],
)
def test_bad_corrections_are_form_errors_and_append_nothing(
    editor_client: Client, report: Any, fields: dict[str, Any], error: str
) -> None:
    incident_id = report()
    response = editor_client.post(page_url(incident_id), correction_form(1, **fields))
    assert response.status_code == 200
    assert error in response.text
    assert len(stream_of(incident_id)) == 1
    assert IncidentRow.objects.get(pk=incident_id).state["fields"]["killed"] == 2


def test_a_stale_page_gets_the_conflict_message_and_overwrites_nothing(
    editor_client: Client, report: Any
) -> None:
    incident_id = report()
    first = editor_client.post(page_url(incident_id), correction_form(1, killed=5))
    assert first.status_code == 302
    # A second editor's page still showed version 1.
    response = editor_client.post(page_url(incident_id), correction_form(1, killed=9))
    assert response.status_code == 409
    assert "Someone else changed this incident" in response.text
    assert "Nothing was saved" in response.text
    assert 'name="killed" value="9"' in response.text  # the draft is kept
    assert 'name="expected_version" value="2"' in response.text  # against the current state
    assert [e.type for e in stream_of(incident_id)] == ["IncidentReported", "IncidentCorrected"]
    project_everything()
    assert IncidentRow.objects.get(pk=incident_id).state["fields"]["killed"] == 5


def test_verify_appends_the_event_and_the_projection_is_verified(
    editor_client: Client, report: Any
) -> None:
    incident_id = report(confidence=0.3)
    response = editor_client.post(
        page_url(incident_id), {"command": "verify", "expected_version": 1, "note": "checked"}
    )
    assert response.status_code == 302
    last = stream_of(incident_id)[-1]
    assert (last.type, last.data["note"], last.metadata["user"]) == (
        "IncidentVerified",
        "checked",
        "editor",
    )
    project_everything()
    row = IncidentRow.objects.get(pk=incident_id)
    assert row.verified and not row.needs_review


def test_retract_needs_a_reason_then_appends_and_the_projection_is_retracted(
    editor_client: Client, report: Any
) -> None:
    incident_id = report()
    refused = editor_client.post(
        page_url(incident_id), {"command": "retract", "expected_version": 1, "reason": ""}
    )
    assert refused.status_code == 200 and "This field is required" in refused.text
    assert len(stream_of(incident_id)) == 1

    editor_client.post(
        page_url(incident_id),
        {"command": "retract", "expected_version": 1, "reason": "the wire withdrew the story"},
    )
    last = stream_of(incident_id)[-1]
    assert (last.type, last.data["reason"], last.metadata["user"]) == (
        "IncidentRetracted",
        "the wire withdrew the story",
        "editor",
    )
    project_everything()
    row = IncidentRow.objects.get(pk=incident_id)
    assert row.status == "retracted"
    # A retracted incident offers no more commands, and refuses a forged one.
    page = editor_client.get(page_url(incident_id)).text
    assert 'id="correct-form"' not in page
    forged = editor_client.post(page_url(incident_id), correction_form(2, killed=7))
    assert forged.status_code == 200 and "cannot change" in forged.text
    assert len(stream_of(incident_id)) == 2


def test_merge_marks_duplicates_and_moves_their_sources_to_the_survivor(
    editor_client: Client, report: Any
) -> None:
    survivor = report()
    duplicate = report(killed=3, location="Baghdad airport")
    rows = sorted([survivor, duplicate], key=str)
    confirm = editor_client.post(
        "/admin/events/incidentrow/",
        {"action": "merge_selected", "_selected_action": [str(i) for i in rows]},
    )
    assert confirm.status_code == 200 and 'id="merge-form"' in confirm.text

    response = editor_client.post(
        "/admin/events/incidentrow/",
        {
            "action": "merge_selected",
            "_selected_action": [str(i) for i in rows],
            "apply": "1",
            "survivor": str(survivor),
            "reason": "same strike",
            f"version-{survivor}": 1,
            f"version-{duplicate}": 1,
        },
    )
    assert response.status_code == 302
    merged = stream_of(duplicate)[-1]
    assert (merged.type, merged.data["into"], merged.metadata["user"]) == (
        "IncidentMerged",
        str(survivor),
        "editor",
    )
    moved = stream_of(survivor)[-1]
    assert moved.type == "IncidentCorroborated"
    assert moved.data["merged_from"] == str(duplicate)
    assert moved.data["reported"] == {"killed": 3, "location": "Baghdad airport"}
    project_everything()
    assert IncidentRow.objects.get(pk=duplicate).status == "merged"
    assert IncidentSource.objects.filter(incident_id=survivor).count() == 2


def test_merge_with_a_stale_version_merges_nothing(editor_client: Client, report: Any) -> None:
    survivor, duplicate = report(), report(killed=3)
    editor_client.post(page_url(duplicate), correction_form(1, killed=4))
    response = editor_client.post(
        "/admin/events/incidentrow/",
        {
            "action": "merge_selected",
            "_selected_action": [str(survivor), str(duplicate)],
            "apply": "1",
            "survivor": str(survivor),
            "reason": "same strike",
            f"version-{survivor}": 1,
            f"version-{duplicate}": 1,
        },
        follow=True,
    )
    assert "changed since this page was opened" in response.text
    assert len(stream_of(survivor)) == 1
    assert [e.type for e in stream_of(duplicate)] == ["IncidentReported", "IncidentCorrected"]


def test_add_an_incident_by_hand(editor_client: Client) -> None:
    form = correction_form(1, type="condemn", target="USA", actor="IRN", killed="")
    form.pop("reason")
    form.update(evidence="Tehran condemned the strike, state TV said.", outlet="IRNA")
    response = editor_client.post("/admin/events/incidentrow/add/", form)
    assert response.status_code == 302
    incident_id = uuid.UUID(response["Location"].rstrip("/").split("/")[-2])
    (reported,) = stream_of(incident_id)
    assert reported.type == "IncidentReported"
    assert (reported.data["method"], reported.data["actor"]) == ("editor", "IRN")
    assert reported.data["source"]["evidence"] == "Tehran condemned the strike, state TV said."
    assert reported.metadata["user"] == "editor"
    project_everything()
    row = IncidentRow.objects.get(pk=incident_id)
    assert (row.type, row.actor, row.target) == ("condemn", "IRN", "USA")


def test_add_with_bad_input_is_a_form_error(editor_client: Client) -> None:
    response = editor_client.post(
        "/admin/events/incidentrow/add/", {"type": "strike", "status": "asserted"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text and "This field is required" in response.text
    assert not IncidentRow.objects.exists()


def test_a_viewer_reads_but_every_command_is_refused(
    viewer: User, report: Any, client: Client
) -> None:
    incident_id = report()
    client.force_login(viewer)
    page = client.get(page_url(incident_id))
    assert page.status_code == 200 and 'id="read-only-note"' in page.text
    assert 'id="correct-form"' not in page.text
    for data in (
        correction_form(1, killed=5),
        {"command": "verify", "expected_version": 1},
        {"command": "retract", "expected_version": 1, "reason": "no"},
    ):
        assert client.post(page_url(incident_id), data).status_code == 403
    assert client.get("/admin/events/incidentrow/add/").status_code == 403
    listing = client.get("/admin/events/incidentrow/")
    assert listing.status_code == 200 and "merge_selected" not in listing.text
    assert len(stream_of(incident_id)) == 1


def test_change_page_shows_the_article_with_the_evidence_highlighted_and_escaped(
    editor_client: Client, report: Any, article: Any
) -> None:
    incident_id = report(article=article)
    page = editor_client.get(page_url(incident_id)).text
    assert f'<mark class="evidence">{STRIKE_SENTENCE}</mark>' in page
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert f"/admin/ingest/article/{article.pk}/change/" in page


def test_review_queue_lists_doubtful_incidents_and_verifies_in_one_click(
    editor_client: Client, report: Any
) -> None:
    doubtful = report(confidence=0.3, target="KH")
    report(confidence=0.95, target="KIA")
    queue = editor_client.get("/admin/events/incidentrow/review/")
    assert queue.status_code == 200
    assert str(doubtful) in queue.text
    assert queue.text.count('class="queue-item"') == 1

    response = editor_client.post(
        page_url(doubtful),
        {"command": "verify", "expected_version": 1, "next": "/admin/events/incidentrow/review/"},
    )
    assert response["Location"] == "/admin/events/incidentrow/review/"
    assert stream_of(doubtful)[-1].type == "IncidentVerified"
    project_everything()
    assert 'id="queue-empty"' in editor_client.get("/admin/events/incidentrow/review/").text


def test_changelist_filters_and_searches(editor_client: Client, report: Any) -> None:
    report(confidence=0.3, target="KH")
    report(type="condemn", actor="IRN", target="USA", killed=None)
    by_type = editor_client.get("/admin/events/incidentrow/?type__exact=condemn")
    assert by_type.text.count('class="action-select"') == 1 and "IRN" in by_type.text
    review = editor_client.get("/admin/events/incidentrow/?needs_review=yes")
    assert review.text.count('class="action-select"') == 1 and "KH" in review.text
    search = editor_client.get("/admin/events/incidentrow/?q=drone+strike")
    assert search.text.count('class="action-select"') == 2


def test_dashboard_draws_from_the_projections(editor_client: Client, report: Any) -> None:
    report(confidence=0.3)
    report(type="condemn", actor="IRN", target="USA", killed=None)
    project_everything()
    page = editor_client.get("/admin/events/incidentrow/dashboard/")
    assert page.status_code == 200
    assert "newsroom/vendor/chart.umd.js" in page.text
    chart = page.context["chart"]
    totals = {d["label"]: sum(d["data"]) for d in chart["datasets"]}
    assert totals == {"attack": 1, "condemn": 1}
    assert page.context["review_count"] == 1
    assert {lag.name: lag.behind for lag in page.context["lags"]}["incidents"] == 0


def test_dashboard_chart_covers_the_weeks_of_dated_news(editor_client: Client, report: Any) -> None:
    report()  # 4 January 2024
    report(type="condemn", occurred_on=None, date_precision=None, killed=None)  # undated
    project_everything()
    chart = editor_client.get("/admin/events/incidentrow/dashboard/").context["chart"]
    assert chart["labels"][-1] == "2024-01-01", "the window ends at the dated incident's week"
    assert {d["label"]: sum(d["data"]) for d in chart["datasets"]} == {"attack": 1}


def test_dashboard_lists_forces_and_open_ultimatums(editor_client: Client, report: Any) -> None:
    report(
        type="force_level",
        actor="USA",
        target=None,
        location="Iraq",
        country="IRQ",
        killed=None,
        quantity={"value": 2500, "unit": "troops"},
    )
    report(
        type="ultimatum",
        actor="KH",
        target="USA",
        killed=None,
        occurred_on="2099-01-01",
        deadline="2099-02-01T00:00:00Z",
    )
    project_everything()
    page = editor_client.get("/admin/events/incidentrow/dashboard/")
    forces = page.context["forces"]
    assert [(f["actor"], f["country"], f["low"], f["unit"]) for f in forces] == [
        ("USA", "IRQ", 2500, "troops")
    ]
    assert [(u.issuer, u.addressee) for u in page.context["ultimatums"]] == [("KH", "USA")]
    assert "2500" in page.text


def _as_posted(form: Any) -> dict[str, Any]:
    """What the browser sends back for a form it was given (values as rendered)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    return data


def test_resubmitting_the_prefilled_form_changes_only_what_the_editor_touched(
    editor_client: Client, report: Any
) -> None:
    incident_id = report(
        type="ultimatum",
        actor="KH",
        target="USA",
        killed=None,
        quantity={"value": 3, "unit": "battalions"},
        latitude=33.31,
        longitude=44.36,
        deadline="2099-02-01T00:00:00Z",
    )
    page = editor_client.get(page_url(incident_id))
    data = _as_posted(page.context["forms"]["correct"])
    data.update(command="correct", injured=4, reason="hospital figures")
    response = editor_client.post(page_url(incident_id), data)
    assert response.status_code == 302, response.context["forms"]["correct"].errors
    assert stream_of(incident_id)[-1].data["changes"] == {"injured": 4}
