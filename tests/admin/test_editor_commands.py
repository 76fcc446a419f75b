"""The editor commands behind the admin, called directly: refusals write nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from events import services, store
from events.domain import DomainError
from events.models import Event

from .conftest import stream_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_merge_is_all_or_nothing_when_the_survivor_moved_on(editor: User, report: Any) -> None:
    survivor, duplicate = report(), report(killed=3)
    services.verify_incident(incident_id=survivor, editor=editor, expected_version=1)
    with pytest.raises(store.ConcurrencyError):
        services.merge_incidents(
            survivor_id=survivor, duplicates={duplicate: 1}, survivor_version=1, editor=editor
        )
    # The duplicate's IncidentMerged was appended first in the transaction: rolled back.
    assert [e.type for e in stream_of(duplicate)] == ["IncidentReported"]
    assert [e.type for e in stream_of(survivor)] == ["IncidentReported", "IncidentVerified"]


@pytest.mark.parametrize(
    ("case", "message"),
    [("self", "into itself"), ("none", "at least one"), ("merged", "is merged")],
)
def test_merges_the_domain_refuses(editor: User, report: Any, case: str, message: str) -> None:
    survivor, duplicate = report(), report(killed=3)
    if case == "merged":
        services.merge_incidents(
            survivor_id=survivor, duplicates={duplicate: 1}, survivor_version=1, editor=editor
        )
    before = Event.objects.count()
    duplicates = {"self": {survivor: 1}, "none": {}, "merged": {duplicate: 2}}[case]
    version = 2 if case == "merged" else 1
    with pytest.raises(DomainError, match=message):
        services.merge_incidents(
            survivor_id=survivor, duplicates=duplicates, survivor_version=version, editor=editor
        )
    assert Event.objects.count() == before


def test_report_by_editor_refuses_a_bad_payload_and_writes_nothing(editor: User) -> None:
    with pytest.raises(DomainError, match="latitude"):
        services.report_incident_by_editor(
            fields={"type": "attack", "latitude": 123.0}, evidence="seen it", editor=editor
        )
    assert not Event.objects.exists()


def test_a_correction_keeps_who_and_the_version_seen(editor: User, report: Any) -> None:
    incident_id = report()
    recorded = services.correct_incident(
        incident_id=incident_id,
        proposed={"country": "irq", "killed": 4},  # the country as typed: not a change
        reason="toll",
        editor=editor,
        expected_version=1,
    )
    assert recorded.version == 2
    assert recorded.data["changes"] == {"killed": 4}
    assert recorded.metadata == {"user": "editor", "user_id": editor.pk, "method": "editor"}
