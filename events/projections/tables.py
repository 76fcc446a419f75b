"""Read-model tables of the projections (imported by events.models so Django sees them).

Written only by the projector (events.projections.incidents); every row can be rebuilt
from the log. JSON columns hold what the pure folding rules produce, as they produce it.
"""

from django.db import models


class IncidentRow(models.Model):
    """One incident's current state; `state` is the full fold, the columns are for filters."""

    incident_id = models.UUIDField(primary_key=True)
    stream_id = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    type = models.CharField(max_length=20)
    actor = models.CharField(max_length=120, null=True)
    target = models.CharField(max_length=120, null=True)
    location = models.CharField(max_length=200, null=True)
    country = models.CharField(max_length=3, null=True)
    world_date = models.DateField()
    factuality = models.CharField(max_length=12)
    status = models.CharField(max_length=12)
    verified = models.BooleanField(default=False)
    needs_review = models.BooleanField(default=False)
    confidence = models.FloatField()
    state = models.JSONField()

    class Meta:
        db_table = "events_proj_incident"
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
    outlet = models.CharField(max_length=200, null=True)
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
