"""Editor commands over the API: the same events the admin writes, with the user, and only
for editors at the version they read (If-Match)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.models import Event
from tests.support.projections import project_everything

from .conftest import stream_of

pytestmark = pytest.mark.django_db(transaction=True)


def client_of(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        token = Token.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def command(
    client: APIClient, incident_id: Any, name: str, body: dict[str, Any], **headers: Any
) -> Any:
    return client.post(f"/api/incidents/{incident_id}/{name}/", body, format="json", **headers)


def test_a_correction_over_the_api_is_the_admins_event_and_says_who(
    editor: User, report: Any
) -> None:
    incident_id = report()
    api = client_of(editor)
    answer = command(
        api,
        incident_id,
        "correct",
        {"changes": {"killed": 6}, "reason": "toll updated"},
        HTTP_IF_MATCH='"1"',
    )
    assert answer.status_code == 200, answer.content
    assert answer["ETag"] == '"2"'
    assert answer.json()["incident"]["killed"] == 6
    events = stream_of(incident_id)
    assert [e.type for e in events] == ["IncidentReported", "IncidentCorrected"]
    assert events[1].data["changes"] == {"killed": 6}
    assert events[1].metadata == {"user": "editor", "user_id": editor.pk, "method": "editor"}

    project_everything()
    detail = api.get(f"/api/incidents/{incident_id}/").json()
    assert detail["killed"] == 6
    assert detail["corrections"][0]["by"] == "editor"
    assert detail["corrections"][0]["reason"] == "toll updated"


def test_a_stale_version_is_412_and_writes_nothing(editor: User, report: Any) -> None:
    incident_id = report()
    api = client_of(editor)
    assert command(api, incident_id, "verify", {}, HTTP_IF_MATCH='"1"').status_code == 200
    before = Event.objects.count()
    stale = command(
        api,
        incident_id,
        "correct",
        {"changes": {"killed": 9}, "reason": "late"},
        HTTP_IF_MATCH='"1"',
    )
    assert stale.status_code == 412
    assert "version 2" in stale.json()["error"]
    assert Event.objects.count() == before


def test_a_missing_if_match_is_428_and_writes_nothing(editor: User, report: Any) -> None:
    incident_id = report()
    answer = command(client_of(editor), incident_id, "retract", {"reason": "not so"})
    assert answer.status_code == 428
    assert "If-Match" in answer.json()["error"]
    assert len(stream_of(incident_id)) == 1


@pytest.mark.parametrize("header", ["*", '"abc"', '"1", "2"', '"0"'])
def test_an_if_match_that_is_no_version_is_400(editor: User, report: Any, header: str) -> None:
    incident_id = report()
    answer = command(client_of(editor), incident_id, "verify", {}, HTTP_IF_MATCH=header)
    assert answer.status_code == 400
    assert len(stream_of(incident_id)) == 1


@pytest.mark.parametrize("name", ["verify", "correct", "retract", "merge"])
def test_a_viewer_token_is_403_and_no_token_401(viewer: User, report: Any, name: str) -> None:
    incident_id = report()
    body = {"reason": "nope", "changes": {"killed": 1}, "duplicates": []}
    viewer_answer = command(client_of(viewer), incident_id, name, body, HTTP_IF_MATCH='"1"')
    assert viewer_answer.status_code == 403
    assert "Editors" in viewer_answer.json()["error"]
    anonymous = command(client_of(None), incident_id, name, body, HTTP_IF_MATCH='"1"')
    assert anonymous.status_code == 401
    assert len(stream_of(incident_id)) == 1


def test_a_viewer_cannot_report_by_hand(viewer: User) -> None:
    answer = client_of(viewer).post(
        "/api/incidents/", {"type": "attack", "evidence": "seen"}, format="json"
    )
    assert answer.status_code == 403
    assert not Event.objects.exists()


def test_report_by_hand_then_list_reads_it(editor: User) -> None:
    api = client_of(editor)
    answer = api.post(
        "/api/incidents/",
        {
            "type": "attack",
            "actor": "USA",
            "target": "HN",
            "country": "irq",
            "killed": 3,
            "occurred_on": "2024-02-01",
            "evidence": "Our reporter saw the strike.",
            "outlet": "Desk",
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    incident = answer.json()["incident"]
    assert incident["country"] == "IRQ" and incident["method"] == "editor"
    assert answer["Location"] == f"/api/incidents/{incident['incident_id']}/"
    (event,) = stream_of(incident["incident_id"])
    assert event.type == "IncidentReported" and event.metadata["user"] == "editor"
    assert event.data["source"]["evidence"] == "Our reporter saw the strike."

    project_everything()
    listed = api.get("/api/incidents/").json()
    assert [row["incident_id"] for row in listed["results"]] == [incident["incident_id"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "attack", "evidence": "x y z", "latitude": 123}, "latitude"),
        ({"type": "bombing", "evidence": "x y z"}, "type"),
        ({"type": "attack", "evidence": "x y z", "colour": "red"}, "colour"),
        ({"type": "attack"}, "evidence"),
    ],
)
def test_a_bad_report_is_400_naming_the_field(
    editor: User, body: dict[str, Any], field: str
) -> None:
    answer = client_of(editor).post("/api/incidents/", body, format="json")
    assert answer.status_code == 400
    assert field in answer.json()["error"]
    assert not Event.objects.exists()


def test_a_correction_the_domain_refuses_is_400(editor: User, report: Any) -> None:
    incident_id = report()
    api = client_of(editor)
    for changes in ({"colour": "red"}, {"killed": 2}, {"killed": -1}):
        answer = command(
            api,
            incident_id,
            "correct",
            {"changes": changes, "reason": "why not"},
            HTTP_IF_MATCH='"1"',
        )
        assert answer.status_code == 400, changes
    assert len(stream_of(incident_id)) == 1


def test_retract_and_merge_write_the_admins_events(editor: User, report: Any) -> None:
    survivor, duplicate, wrong = report(), report(killed=3), report(killed=7)
    api = client_of(editor)
    retracted = command(api, wrong, "retract", {"reason": "no such strike"}, HTTP_IF_MATCH='"1"')
    assert retracted.status_code == 200
    assert retracted.json()["incident"]["status"] == "retracted"
    assert stream_of(wrong)[-1].type == "IncidentRetracted"
    assert stream_of(wrong)[-1].metadata["user"] == "editor"

    stale_duplicate = command(
        api,
        survivor,
        "merge",
        {"duplicates": [{"incident_id": str(duplicate), "version": 5}]},
        HTTP_IF_MATCH='"1"',
    )
    assert stale_duplicate.status_code == 412
    assert len(stream_of(duplicate)) == 1 and len(stream_of(survivor)) == 1

    merged = command(
        api,
        survivor,
        "merge",
        {"duplicates": [{"incident_id": str(duplicate), "version": 1}], "reason": "same strike"},
        HTTP_IF_MATCH='"1"',
    )
    assert merged.status_code == 200, merged.content
    assert [e.type for e in stream_of(duplicate)] == ["IncidentReported", "IncidentMerged"]
    assert stream_of(duplicate)[-1].data["into"] == str(survivor)
    assert [e["type"] for e in merged.json()["events"]] == [
        "IncidentMerged",
        "IncidentCorroborated",
    ]
    assert merged["ETag"] == '"2"'


def test_an_unknown_incident_is_404(editor: User) -> None:
    api = client_of(editor)
    for target in (uuid.uuid4(), "not-a-uuid"):
        answer = command(api, target, "verify", {}, HTTP_IF_MATCH='"1"')
        assert answer.status_code == 404


def test_the_schema_documents_the_commands(client: Any) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert "post" in paths["/api/incidents/"] and "get" in paths["/api/incidents/"]
    for name in ("verify", "correct", "retract", "merge"):
        operation = paths[f"/api/incidents/{{incident_id}}/{name}/"]["post"]
        assert {"412", "428", "403"} <= set(operation["responses"])
        assert any(p["name"] == "If-Match" for p in operation["parameters"])
