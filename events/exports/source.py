"""The incidents an export walks: the same filters and order as `/api/incidents/`,
read a chunk at a time so memory stays flat however many incidents match."""

from __future__ import annotations

from collections.abc import Iterator

import orjson
from django.db.models import TextField
from django.db.models.functions import Cast

from events.projections.incident_state import IncidentState, order_key
from events.selectors import IncidentFilter, TimePoint, incident_states

CHUNK = 2000


def incident_chunks(
    point: TimePoint, wanted: IncidentFilter, *, chunk: int = CHUNK
) -> Iterator[list[IncidentState]]:
    """Lists of at most `chunk` incident states, in (world date, incident id) order.

    "Now" streams the incidents table through a server-side cursor; a time point
    (as_of / known_at) folds the log first, as the incident list does."""
    if point.from_log:
        states = sorted((s for s in incident_states(point) if wanted.matches(s)), key=order_key)
        for start in range(0, len(states), chunk):
            yield states[start : start + chunk]
        return
    # The state as JSON text decoded by orjson: no model instances, no JSONField decoding.
    texts = (
        wanted.queryset()
        .order_by("world_date", "incident_id")
        .annotate(state_text=Cast("state", output_field=TextField()))
        .values_list("state_text", flat=True)
    )
    batch: list[IncidentState] = []
    for text in texts.iterator(chunk_size=chunk):
        batch.append(IncidentState.from_json(orjson.loads(text)))
        if len(batch) == chunk:
            yield batch
            batch = []
    if batch:
        yield batch


def count_incidents(point: TimePoint, wanted: IncidentFilter) -> int | None:
    """How many incidents the export will hold (for a progress bar); None from the log,
    where counting would mean folding it twice."""
    if point.from_log:
        return None
    return wanted.queryset().count()
