"""Read-model tables of the projections (imported by events.models so Django sees them).

Written only by the projector (events.projections.incidents); every row can be rebuilt
from the log. JSON columns hold what the pure folding rules produce, as they produce it.
"""

from typing import Any

import orjson
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper


class JsonDocument(models.JSONField):
    """A JSON value kept as PostgreSQL `json` (its text, checked) instead of `jsonb`.

    For documents written whole and read whole, never searched inside: jsonb would parse
    every write into its binary form (the largest share of the server's time in storing
    a rebuild's incident rows) and print every read back as text. Elsewhere it is an
    ordinary JSONField. The connection hands `json` values over as text (apps.py, as
    Django does for jsonb) and they are decoded here.
    """

    def db_type(self, connection: BaseDatabaseWrapper) -> str | None:
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def from_db_value(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        if isinstance(value, str) and connection.vendor == "postgresql":
            return orjson.loads(value)
        return super().from_db_value(value, expression, connection)


class CodeField(models.CharField):
    """Text compared byte by byte (`COLLATE "C"`) on PostgreSQL: codes, names and ids that
    are filtered and indexed, never sorted for a reader's language. On a UTF-8 database
    byte order is code-point order, as C.UTF-8 sorts; the C collation lets the server
    compare with memcmp and sort on abbreviated keys, which a rebuild's index builds
    (one per indexed column, over every incident) take a quarter less time on. Not for
    text matched without regard to case beyond ASCII: upper() in "C" knows only A-Z."""

    def db_parameters(self, connection: BaseDatabaseWrapper) -> dict[str, Any]:
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters


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


class ForceLevel(models.Model):
    """A `forces.ForceRow` (in `data`, exactly as folded) under its key."""

    actor = models.CharField(max_length=120)
    country = models.CharField(max_length=3)
    place = models.CharField(max_length=200, blank=True, default="")
    unit = models.CharField(max_length=40)
    data = models.JSONField()

    class Meta:
        db_table = "events_proj_force_level"
        ordering = ["actor", "country", "place", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "country", "place", "unit"], name="force_level_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor} in {self.country}/{self.place or '-'} ({self.unit})"


class Stance(models.Model):
    """A `stances.StanceRow` (in `data`) for one ordered pair of actors."""

    actor = models.CharField(max_length=120)
    target = models.CharField(max_length=120, db_index=True)
    data = models.JSONField()

    class Meta:
        db_table = "events_proj_stance"
        ordering = ["actor", "target"]
        constraints = [models.UniqueConstraint(fields=["actor", "target"], name="stance_pair")]

    def __str__(self) -> str:
        return f"{self.actor}->{self.target}"


class Ultimatum(models.Model):
    """An `ultimatums.UltimatumRow` (in `data`); open/expired is decided at read time."""

    incident_id = models.UUIDField(primary_key=True)
    issuer = models.CharField(max_length=120, db_index=True)
    addressee = models.CharField(max_length=120, db_index=True)
    data = models.JSONField()

    class Meta:
        db_table = "events_proj_ultimatum"
        ordering = ["incident_id"]

    def __str__(self) -> str:
        return f"{self.issuer}->{self.addressee}"
