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


def project_everything(timeout: float = 120.0) -> None:
    """Run the projectors until each has applied every committed event.

    One catch-up is not always enough on PostgreSQL: `read_all` waits for every older
    transaction still running (and any whose database it cannot tell) to end before it
    hands out newer events, so a projector can lag for a moment; it never skips.
    """
    import time

    from events.projections.registry import PROJECTORS, catch_up_all
    from events.projections.status import lag_of

    deadline = time.monotonic() + timeout
    while True:
        catch_up_all()
        if all(lag_of(name).behind == 0 for name in PROJECTORS):
            return
        if time.monotonic() > deadline:
            raise AssertionError("projectors did not catch up with the log")
        time.sleep(0.05)
