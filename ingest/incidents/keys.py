"""Keep the matching lookup (IncidentKey) in step with every incident command.

The lookup is what lets the next article find an incident synchronously. Classifier
reports, editor reports, corrections, editor retractions and merges all change what an
incident may be matched against, whoever issued them, so the lookup follows the incident
events themselves (events.signals.incident_event_recorded, sent inside the appending
transaction) rather than each caller remembering to update it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from events.store import RecordedEvent
from ingest.models import IncidentKey

# Fields of an incident that the matching rule looks at, as IncidentKey stores them.
_MATCHED_FIELDS = (
    "type",
    "actor",
    "target",
    "location",
    "country",
    "occurred_on",
    "date_precision",
)


def _key_values(fields: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in _MATCHED_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if name == "occurred_on":
            values[name] = date.fromisoformat(value) if isinstance(value, str) else value
        elif name == "country":
            values[name] = (value or "").upper()
        else:
            values[name] = value or ""
    return values


def _reported_on(data: dict[str, Any]) -> date | None:
    """The first report's publication date (None for an undated article or an editor)."""
    published = (data.get("source") or {}).get("published_at")
    return datetime.fromisoformat(published).date() if isinstance(published, str) else None


def sync_incident_key(sender: object, event: RecordedEvent, **kwargs: object) -> None:
    incident_id, data = event.data["incident_id"], event.data
    if event.type == "IncidentReported":
        IncidentKey.objects.get_or_create(
            incident_id=incident_id,
            defaults={**_key_values(data), "reported_on": _reported_on(data)},
        )
    elif event.type == "IncidentCorrected":
        changes = _key_values(data["changes"])
        if changes:
            IncidentKey.objects.filter(incident_id=incident_id).update(**changes)
    elif event.type == "IncidentMerged" or (
        # An editor's retraction ends the incident; a source's withdrawal (article_id set)
        # is handled where supports are counted (building._withdraw_support).
        event.type == "IncidentRetracted" and data.get("article_id") is None
    ):
        IncidentKey.objects.filter(incident_id=incident_id).update(active=False)
