"""The event log as sentences an editor reads: what happened to which incident, who did
it and why ("IncidentCorrected: killed 5 -> 6 by alice: toll updated"), instead of a
stream id and a JSON payload.

A correction's old values and the incident an event belongs to are read by folding the
incident's stream up to the event (`events.services.incident_state_at`), one stream read
per event shown.
"""

from __future__ import annotations

from typing import Any

from events import services
from events.domain import DomainError, incident_id_from_stream


def _value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict) and "unit" in value:  # a quantity
        return f"{value.get('value') if value.get('value') is not None else '?'} {value['unit']}"
    return str(value)


def incident_summary(fields: dict[str, Any]) -> str:
    """'attack USA → HN in Baghdad (IRQ) on 2024-01-04' (the date only when stated)."""
    text = f"{fields.get('type')} {fields.get('actor') or '?'}"
    if fields.get("target"):
        text += f" → {fields['target']}"
    place = fields.get("location") or ""
    if fields.get("country"):
        place = f"{place} ({fields['country']})" if place else str(fields["country"])
    if place:
        text += f" in {place}"
    if fields.get("occurred_on"):
        text += f" on {fields['occurred_on']}"
    return text


def _who(metadata: dict[str, Any]) -> str:
    if metadata.get("user"):
        return str(metadata["user"])
    if metadata.get("classifier_version"):
        return f"classifier {metadata['classifier_version']}"
    return "the system"


def _changes(before: dict[str, Any], changes: dict[str, Any]) -> str:
    return ", ".join(
        f"{name} {_value(before.get(name))} -> {_value(new)}" for name, new in changes.items()
    )


def sentence(
    *, event_type: str, stream_id: str, version: int, data: dict[str, Any], metadata: dict[str, Any]
) -> str:
    """One event as a sentence; the incident's state before it is read from the log."""
    who = _who(metadata)
    try:
        incident_id = incident_id_from_stream(stream_id)
    except DomainError:
        return f"{event_type} on {stream_id} by {who}"
    if event_type == "IncidentReported":
        fields = {k: v for k, v in data.items() if k not in ("source", "incident_id")}
        outlet = (data.get("source") or {}).get("outlet")
        return (
            f"{event_type}: {incident_summary(fields)}"
            + (f" from {outlet}" if outlet else "")
            + f" by {who}"
        )
    try:
        before = services.incident_state_at(incident_id, version=version - 1)
    except DomainError:
        return f"{event_type} on {stream_id} by {who}"
    if event_type == "IncidentCorrected":
        return (
            f"{event_type}: {_changes(before.fields, data.get('changes') or {})} by {who}: "
            f"{data.get('reason', '')}"
        )
    subject = incident_summary(before.fields)
    if event_type == "IncidentCorroborated":
        source = data.get("source") or {}
        said = _changes(before.fields, data.get("reported") or {})
        text = f"{event_type}: {subject}, also reported by {source.get('outlet') or 'a source'}"
        return text + (f" (says {said})" if said else "")
    if event_type == "IncidentMerged":
        return f"{event_type}: {subject} into {data.get('into')} by {who}: {data.get('reason')}"
    reason = data.get("reason") or data.get("note") or ""
    return f"{event_type}: {subject} by {who}" + (f": {reason}" if reason else "")
