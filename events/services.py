"""Incident write commands: one function per command, keyword-only.

Each command validates its payload through `events.domain.validate_payload` and appends
one event to the incident's stream through `events.store.append`. Bad data raises
`DomainError` before anything reaches the log. Callers that may run twice (Celery tasks)
pass a deterministic `event_id`: the store answers a repeated append with the stored
event, so a retried command writes nothing new.

Editor commands (correct, verify, merge, report by an editor) belong here as well; they
reuse `_append_incident_event` with an `expected_version` read from the stream so that
two editors cannot silently overwrite each other.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from events import store
from events.domain import (
    DomainError,
    IncidentEventType,
    Method,
    stream_id_for,
    validate_payload,
)

# Namespace of the deterministic event and incident ids derived from article content.
INCIDENT_NAMESPACE = uuid.UUID("5b0c3f7e-8a51-4d7b-9a55-6f1b7a2e4c10")


def deterministic_id(*parts: object) -> uuid.UUID:
    """A uuid5 naming what produced an event, so that replaying the producer names it again."""
    return uuid.uuid5(INCIDENT_NAMESPACE, "|".join(str(p) for p in parts))


def _append_incident_event(
    *,
    incident_id: uuid.UUID,
    event_type: IncidentEventType,
    payload: Mapping[str, Any],
    metadata: Mapping[str, Any] | None,
    event_id: uuid.UUID | None,
    expected_version: int | None,
    occurred_on: date | None = None,
) -> store.RecordedEvent:
    data = validate_payload(event_type, {**payload, "incident_id": str(incident_id)})
    recorded = store.append(
        stream_id_for(incident_id),
        [
            store.NewEvent(
                type=event_type,
                data=data,
                metadata=dict(metadata or {}),
                event_id=event_id,
                occurred_on=occurred_on,
            )
        ],
        expected_version=expected_version,
    )
    return recorded[0]


def _require_incident(incident_id: uuid.UUID) -> None:
    # A retried command on an incident that exists is fine; a command on an incident that
    # was never reported is a caller's mistake, not something to record.
    if store.stream_version(stream_id_for(incident_id)) == 0:
        raise DomainError(f"incident_id: no incident {incident_id}")


def report_incident(
    *,
    incident_id: uuid.UUID,
    fields: Mapping[str, Any],
    source: Mapping[str, Any],
    method: Method = Method.CLASSIFIER,
    needs_review: bool = False,
    metadata: Mapping[str, Any] | None = None,
    event_id: uuid.UUID | None = None,
) -> store.RecordedEvent:
    """Open a new incident stream with its `IncidentReported` event.

    The stream must not exist yet (expected version 0): reporting twice under one id is
    either a retry (same event_id: the stored event is returned) or a ConcurrencyError.
    """
    payload = {
        **fields,
        "method": str(method),
        "source": dict(source),
        "needs_review": needs_review,
    }
    occurred_on = fields.get("occurred_on")
    return _append_incident_event(
        incident_id=incident_id,
        event_type="IncidentReported",
        payload=payload,
        metadata=metadata,
        event_id=event_id,
        expected_version=0,
        occurred_on=occurred_on if isinstance(occurred_on, date) else None,
    )


def corroborate_incident(
    *,
    incident_id: uuid.UUID,
    source: Mapping[str, Any],
    reported: Mapping[str, Any] | None = None,
    metadata: Mapping[str, Any] | None = None,
    event_id: uuid.UUID | None = None,
) -> store.RecordedEvent:
    """Another source reports an existing incident; `reported` holds where it differs."""
    _require_incident(incident_id)
    return _append_incident_event(
        incident_id=incident_id,
        event_type="IncidentCorroborated",
        payload={"source": dict(source), "reported": dict(reported or {})},
        metadata=metadata,
        event_id=event_id,
        # Corroborations commute: their order on the stream does not change the incident.
        expected_version=store.ANY,
    )


def retract_incident(
    *,
    incident_id: uuid.UUID,
    reason: str,
    article_id: int | None = None,
    metadata: Mapping[str, Any] | None = None,
    event_id: uuid.UUID | None = None,
    expected_version: int | None = store.ANY,
) -> store.RecordedEvent:
    """Withdraw an incident: an editor's decision, or (with `article_id`) an updated source."""
    _require_incident(incident_id)
    return _append_incident_event(
        incident_id=incident_id,
        event_type="IncidentRetracted",
        payload={"reason": reason, "article_id": article_id},
        metadata=metadata,
        event_id=event_id,
        expected_version=expected_version,
    )
