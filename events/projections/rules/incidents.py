"""The incidents read model: one row per incident (its folded state, and the columns the
API filters on) and its sources. The rows every derived read model is recomputed from.

Written only by the projector (events.projections.engine.incidents); every row can be
rebuilt from the log.
"""

from __future__ import annotations

import operator
import uuid
from collections.abc import Iterable, Iterator, Sequence
from functools import reduce
from typing import Any

import orjson
from django.db import models
from django.db.models import Case, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.db.models.lookups import Exact, IsNull

from events.domain.incident_state import IncidentState, IncidentSummary
from events.fields import CodeField, JsonDocument
from events.projections.engine.bulk import write_rows


class IncidentRow(models.Model):
    """One incident's current state; `state` is the full fold, the columns are for filters."""

    incident_id = models.UUIDField(primary_key=True)
    stream_id = CodeField(max_length=200)
    version = models.PositiveIntegerField()
    type = CodeField(max_length=20)
    actor = CodeField(max_length=120, null=True)
    target = CodeField(max_length=120, null=True)
    # Place names are matched without regard to case (iexact, admin search), which the
    # C collation would do for ASCII letters only: the database's own collation.
    location = models.CharField(max_length=200, null=True)
    country = CodeField(max_length=3, null=True)
    world_date = models.DateField()
    factuality = CodeField(max_length=12)
    status = CodeField(max_length=12)
    verified = models.BooleanField(default=False)
    needs_review = models.BooleanField(default=False)
    confidence = models.FloatField()
    state = JsonDocument()

    class Meta:
        db_table = "events_proj_incident"
        verbose_name, verbose_name_plural = "incident", "incidents"
        ordering = ["world_date", "incident_id"]
        # Only the indexes some query uses: a rebuild builds each one over every incident,
        # and the projector updates each one per row. No `db_index=True` on the columns:
        # on PostgreSQL that adds a second, LIKE-only (varchar_pattern_ops) index per
        # column, and nothing here filters with LIKE. Type, actor and date lookups use the
        # composite indexes below, which start with those columns.
        constraints = [models.UniqueConstraint(fields=["stream_id"], name="proj_incident_stream")]
        indexes = [
            models.Index(fields=["target"], name="proj_incident_target"),
            models.Index(fields=["country"], name="proj_incident_country"),
            # Few rows are retracted or merged: the admin's filters on them read this.
            models.Index(fields=["status"], name="proj_incident_status"),
            # The projector recomputes stances per pair and forces per actor and country.
            models.Index(fields=["actor", "target"], name="proj_incident_pair"),
            models.Index(fields=["actor", "country"], name="proj_incident_actor_country"),
            # The API pages incidents in this order, whole or filtered by actor or type.
            models.Index(fields=["world_date", "incident_id"], name="proj_incident_page"),
            models.Index(
                fields=["actor", "world_date", "incident_id"], name="proj_incident_actor_page"
            ),
            models.Index(
                fields=["type", "world_date", "incident_id"], name="proj_incident_type_page"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.actor}->{self.target} on {self.world_date}"


def undated_last() -> models.OrderBy:
    """An ordering term that puts undated incidents (no date stated, no source with a
    publication date: their world date is only the day they were recorded) after the
    dated ones, so a newest-first list does not open with them as if they were today's.
    The first source stands for the sources (it is the report's)."""
    return undated_flag().asc()


def undated_flag() -> Case:
    """1 for an undated incident row, 0 for a dated one (see `undated_last`)."""
    # A JSON null reads as NULL on PostgreSQL and as the text 'null' on SQLite.
    no_date = KT("state__fields__occurred_on")
    no_published = KT("state__sources__0__published_at")
    undated = (Q(IsNull(no_date, True)) | Q(Exact(no_date, "null"))) & (
        Q(IsNull(no_published, True)) | Q(Exact(no_published, "null"))
    )
    return Case(When(undated, then=Value(1)), default=Value(0), output_field=IntegerField())


class IncidentSource(models.Model):
    """Who reported an incident, for the `source` filter (article id, outlet or URL)."""

    incident = models.ForeignKey(IncidentRow, on_delete=models.CASCADE, related_name="source_rows")
    article_id = models.BigIntegerField(null=True, db_index=True)
    outlet = CodeField(max_length=200, null=True)
    url = models.TextField(null=True)

    class Meta:
        db_table = "events_proj_incident_source"
        # Not `db_index=True`: that adds a LIKE-only index too (see IncidentRow).
        indexes = [models.Index(fields=["outlet"], name="proj_source_outlet")]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.outlet or self.article_id}"


INCIDENT_FIELDS = (
    "incident_id",
    "stream_id",
    "version",
    "type",
    "actor",
    "target",
    "location",
    "country",
    "world_date",
    "factuality",
    "status",
    "verified",
    "needs_review",
    "confidence",
    "state",
)
SOURCE_FIELDS = ("incident_id", "article_id", "outlet", "url")


def incident_values(state: IncidentState, incident_id: Any = None) -> tuple[Any, ...]:
    """The incident row's values, in INCIDENT_FIELDS order (`incident_id`: the id as the
    writer takes it, when not its text)."""
    fields = state.fields
    return (
        state.incident_id if incident_id is None else incident_id,
        state.stream_id,
        state.version,
        str(fields["type"]),
        fields.get("actor"),
        fields.get("target"),
        fields.get("location"),
        fields.get("country"),
        state.world_date,
        state.factuality,
        state.status,
        state.verified,
        state.needs_review,
        state.confidence,
        state.to_json(),
    )


def incident_columns(state: IncidentState) -> dict[str, Any]:
    return dict(zip(INCIDENT_FIELDS, incident_values(state), strict=True))


def states_of(rows: Iterable[IncidentRow]) -> list[IncidentState]:
    return [IncidentState.from_json(row.state) for row in rows]


def states_in(rows: QuerySet[IncidentRow]) -> list[IncidentState]:
    """The states of the rows the query selects, fetched as JSON text and decoded with
    orjson: no model instances, no JSONField decoding (a batch reads hot groups whole)."""
    texts = rows.annotate(state_text=Cast("state", output_field=TextField()))
    return [
        IncidentState.from_json(orjson.loads(text))
        for text in texts.values_list("state_text", flat=True)
    ]


_SUMMARY_COLUMNS = ("incident_id", "type", "actor", "target", "world_date", "status", "factuality")


def summaries_of(rows: QuerySet[IncidentRow]) -> list[IncidentSummary]:
    """The rows as summaries: only the columns, no state to parse (hot pairs are long)."""
    return [
        IncidentSummary(str(incident_id), *rest)
        for incident_id, *rest in rows.values_list(*_SUMMARY_COLUMNS)
    ]


def source_values(state: IncidentState, incident_id: Any = None) -> Iterator[tuple[Any, ...]]:
    """The incident's source rows, in SOURCE_FIELDS order (`incident_id`: as in
    `incident_values`)."""
    row_id = state.incident_id if incident_id is None else incident_id
    for source in state.active_sources:
        yield (row_id, source.get("article_id"), source.get("outlet"), source.get("url"))


def source_columns(states: Iterable[IncidentState]) -> Iterator[dict[str, Any]]:
    for state in states:
        for values in source_values(state):
            yield dict(zip(SOURCE_FIELDS, values, strict=True))


def save_incidents(states: Sequence[IncidentState]) -> None:
    # Delete and COPY rather than upsert row by row: far fewer round trips per batch.
    ids = [uuid.UUID(s.incident_id) for s in states]
    IncidentSource.objects.filter(incident_id__in=ids).delete()
    IncidentRow.objects.filter(incident_id__in=ids).delete()
    write_rows(IncidentRow, (incident_columns(s) for s in states))
    write_rows(IncidentSource, source_columns(states))


def any_of(conditions: Iterable[Q]) -> Q:
    """OR of the conditions; matches nothing when there are none."""
    return reduce(operator.or_, conditions, Q(pk__in=[]))
