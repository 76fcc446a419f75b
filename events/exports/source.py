"""The incidents an export walks: the same filters and order as `/api/incidents/`,
read a chunk at a time so memory stays flat however many incidents match."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import orjson
from django.db import connections
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from events.domain.incident_state import IncidentState, order_key
from events.selectors import IncidentFilter, TimePoint, incident_states

CHUNK = 2000


def incident_chunks(
    point: TimePoint, wanted: IncidentFilter, *, chunk: int = CHUNK
) -> Iterator[list[IncidentState]]:
    """Lists of at most `chunk` incident states, in (world date, incident id) order.

    "Now" streams the incidents table (PostgreSQL: one COPY of the states as text, the
    cheapest way rows leave the server; SQLite: a cursor); a time point (as_of /
    known_at) folds the log first, as the incident list does."""
    if point.from_log:
        states = sorted((s for s in incident_states(point) if wanted.matches(s)), key=order_key)
        for start in range(0, len(states), chunk):
            yield states[start : start + chunk]
        return
    rows = (
        wanted.queryset()
        .order_by("world_date", "incident_id")
        .values_list("world_date", Cast("state", output_field=TextField()))
    )
    # rows.db: where the router sends the read (a replica inside a read API request)
    db = connections[rows.db]
    copied = _copied(rows) if db.vendor == "postgresql" else rows.iterator(chunk)
    batch: list[IncidentState] = []
    for world_date, text in copied:
        state = IncidentState.from_json(orjson.loads(text))
        # The row's world_date column is the state's (the projector wrote it from there):
        # set the cached property from it rather than work it out again per incident.
        state.__dict__["world_date"] = world_date
        batch.append(state)
        if len(batch) == chunk:
            yield batch
            batch = []
    if batch:
        yield batch


def _copied(rows: QuerySet[Any, Any]) -> Iterator[tuple[date, str]]:
    """The query's (date, text) rows through COPY ... TO STDOUT (binary: no escapes to
    undo). The connection is busy until the COPY ends: read nothing else meanwhile."""
    sql, params = rows.query.sql_with_params()
    db = connections[rows.db]
    db.ensure_connection()
    with (
        db.wrap_database_errors,
        db.connection.cursor() as cursor,
        cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT BINARY)", params) as copy,
    ):
        copy.set_types(["date", "text"])
        yield from copy.rows()


def count_incidents(point: TimePoint, wanted: IncidentFilter) -> int | None:
    """How many incidents the export will hold (for a progress bar); None from the log,
    where counting would mean folding it twice."""
    if point.from_log:
        return None
    return wanted.queryset().count()
