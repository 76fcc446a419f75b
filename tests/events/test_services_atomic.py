"""The incident commands are atomic with what they trigger.

`report_incident`, `corroborate_incident` and `retract_incident` append an event and
announce it (`incident_event_recorded`); the ingest app's receiver writes the matching
key. A failure after the append (a receiver connected after the ingest app's, raising
once the key is written) must leave nothing behind: no event, no key change.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from events import services, store
from events.domain import stream_id_for
from events.signals import incident_event_recorded
from ingest.models import IncidentKey

pytestmark = pytest.mark.django_db(transaction=True)

FIELDS = {"type": "attack", "actor": "RUS", "target": "UKR", "country": "UKR"}
SOURCE = {"outlet": "Wire", "evidence": "Russia struck Ukraine.", "confidence": 0.9}


class InjectedFailure(RuntimeError):
    pass


def _fail(sender: object, event: store.RecordedEvent, **kwargs: Any) -> None:
    raise InjectedFailure(f"after {event.type} was appended and its key written")


@contextmanager
def failing_after_append() -> Iterator[None]:
    incident_event_recorded.connect(_fail, dispatch_uid="test_failing_after_append")
    try:
        with pytest.raises(InjectedFailure):
            yield
    finally:
        incident_event_recorded.disconnect(dispatch_uid="test_failing_after_append")


def event_types(incident_id: uuid.UUID) -> list[str]:
    return [e.type for e in store.read_stream(stream_id_for(incident_id))]


def reported() -> uuid.UUID:
    incident_id = uuid.uuid4()
    services.report_incident(incident_id=incident_id, fields=FIELDS, source=SOURCE)
    return incident_id


def test_a_failed_report_leaves_no_event_and_no_key() -> None:
    incident_id = uuid.uuid4()
    with failing_after_append():
        services.report_incident(incident_id=incident_id, fields=FIELDS, source=SOURCE)
    assert event_types(incident_id) == []
    assert store.stream_version(stream_id_for(incident_id)) == 0
    assert not IncidentKey.objects.filter(incident_id=incident_id).exists()


def test_a_failed_corroboration_leaves_the_stream_as_it_was() -> None:
    incident_id = reported()
    with failing_after_append():
        services.corroborate_incident(incident_id=incident_id, source={**SOURCE, "outlet": "B"})
    assert event_types(incident_id) == ["IncidentReported"]
    assert store.stream_version(stream_id_for(incident_id)) == 1


def test_a_failed_retraction_leaves_the_incident_active_and_matchable() -> None:
    incident_id = reported()
    with failing_after_append():
        services.retract_incident(incident_id=incident_id, reason="misread")
    assert event_types(incident_id) == ["IncidentReported"]
    assert IncidentKey.objects.get(incident_id=incident_id).active is True
