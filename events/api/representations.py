"""The JSON shapes of the API's answers: an event, an incident, a stance, an ultimatum."""

from __future__ import annotations

from typing import Any

from events import store
from events.domain.incident_state import IncidentState, source_summary
from events.projections.engine.config import stance_half_life_days
from events.projections.rules import stances, ultimatums
from events.selectors.common import TimePoint


def event_json(event: store.RecordedEvent) -> dict[str, Any]:
    return {
        "position": event.position,
        "cursor": event.cursor,
        "stream_id": event.stream_id,
        "version": event.version,
        "event_id": str(event.event_id),
        "type": event.type,
        "schema_version": event.schema_version,
        "data": event.data,
        "metadata": event.metadata,
        "recorded_at": event.recorded_at.isoformat(),
        "occurred_on": event.occurred_on.isoformat() if event.occurred_on else None,
    }


def incident_json(state: IncidentState) -> dict[str, Any]:
    return {
        "incident_id": state.incident_id,
        "stream_id": state.stream_id,
        "version": state.version,
        **state.fields,
        "factuality": state.factuality,
        "world_date": state.world_date.isoformat(),
        "status": state.status,
        "merged_into": state.merged_into,
        "verified": state.verified,
        "needs_review": state.needs_review,
        "confidence": state.confidence,
        "method": state.method,
        "retraction_reason": state.retraction_reason,
        "sources": [
            {
                **source_summary(state, s),
                "confidence": s.get("confidence"),
                "reported": s["reported"],
            }
            for s in state.active_sources
        ],
        "corrections": state.corrections,
        "first_recorded_at": state.first_recorded_at,
        "last_recorded_at": state.last_recorded_at,
    }


def stance_json(row: stances.StanceRow, point: TimePoint) -> dict[str, Any]:
    return {
        "actor": row.actor,
        "target": row.target,
        "score": row.score(point.day(), stance_half_life_days()),
        "reference_date": row.reference_date,
        "counts": row.counts,
        "incident_count": row.incident_count,
        "latest": row.latest,
    }


def ultimatum_json(row: ultimatums.UltimatumRow, point: TimePoint) -> dict[str, Any]:
    return {**row.to_json(), "status": row.status(point.instant())}
