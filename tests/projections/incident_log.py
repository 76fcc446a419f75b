"""Writing incident events for tests, the way the services do: validated, then appended."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from events import store
from events.domain import stream_id_for, validate_payload


def source(**overrides: Any) -> dict[str, Any]:
    return {"outlet": "Test Wire", "evidence": "A sentence that says so.", **overrides}


def report(
    type: str, actor: str | None = None, target: str | None = None, **fields: Any
) -> uuid.UUID:
    """Append an IncidentReported and return the new incident's id."""
    incident_id = uuid.uuid4()
    payload = {
        "incident_id": str(incident_id),
        "type": type,
        "actor": actor,
        "target": target,
        "source": fields.pop("source", source()),
        **fields,
    }
    data = validate_payload("IncidentReported", payload)
    occurred = fields.get("occurred_on")
    store.append(
        stream_id_for(incident_id),
        [
            store.NewEvent(
                "IncidentReported",
                data,
                occurred_on=date.fromisoformat(occurred) if isinstance(occurred, str) else occurred,
            )
        ],
        expected_version=0,
    )
    return incident_id


def follow_up(event_type: str, incident_id: uuid.UUID, **payload: Any) -> None:
    """Append a later event (corroborated, corrected, verified...) to an incident."""
    data = validate_payload(event_type, {"incident_id": str(incident_id), **payload})
    store.append(
        stream_id_for(incident_id), [store.NewEvent(event_type, data)], expected_version=None
    )
