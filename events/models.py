"""The append-only log and its bookkeeping tables.

`Event` rows are written only by `events.store.append` and never changed: database
triggers (migration 0002) reject UPDATE, DELETE and TRUNCATE. Everything else in the
project is derived from these rows. The read models' tables are declared with their rules
(events/projections/rules/); the app config registers them (events/apps.py).
"""

from typing import Any

from django.db import models
from django.db.models import Func


class CurrentTransactionId(Func):
    """`pg_current_xact_id()` on PostgreSQL; SQLite has one writer and needs none."""

    function = "pg_current_xact_id"
    template = "%(function)s()"
    arity = 0

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return "NULL", ()


class TransactionIdField(models.BigIntegerField):
    """A PostgreSQL `xid8` (64-bit, wraparound-free transaction id); a bigint elsewhere."""

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "postgresql":
            return "xid8"
        return super().db_type(connection)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> int | None:
        return None if value is None else int(value)


class ImmutableQuerySet(models.QuerySet["Event"]):
    """The ORM refuses to change the log before the database has to."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("the event log is append-only: events cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("the event log is append-only: events cannot be deleted")


class Stream(models.Model):
    """Each stream's current version: the row that append locks to enforce ordering."""

    stream_id = models.CharField(max_length=200, primary_key=True)
    version = models.PositiveIntegerField()

    class Meta:
        db_table = "events_stream"

    def __str__(self) -> str:
        return f"{self.stream_id}@{self.version}"


class Event(models.Model):
    position = models.BigAutoField(primary_key=True)
    tx_id = TransactionIdField(null=True, editable=False, db_default=CurrentTransactionId())
    stream_id = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    event_id = models.UUIDField(unique=True)
    type = models.CharField(max_length=100)
    schema_version = models.PositiveSmallIntegerField(default=1)
    data = models.JSONField()
    metadata = models.JSONField(default=dict)
    recorded_at = models.DateTimeField()
    occurred_on = models.DateField(null=True, blank=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        db_table = "events_event"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["stream_id", "version"], name="event_stream_version"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="event_version_gte_1"),
            models.CheckConstraint(condition=~models.Q(type=""), name="event_type_not_empty"),
        ]
        indexes = [
            models.Index(fields=["tx_id", "position"], name="event_tx_position"),
            models.Index(fields=["type", "position"], name="event_type_position"),
        ]

    def __str__(self) -> str:
        return f"#{self.position} {self.stream_id}@{self.version} {self.type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        raise PermissionError("append through events.store.append, never save()")

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("the event log is append-only: events cannot be deleted")


class Checkpoint(models.Model):
    """How far a projection has read the log; written in the same transaction as its rows."""

    name = models.CharField(max_length=100, primary_key=True)
    cursor = models.CharField(max_length=64, blank=True, default="")
    position = models.BigIntegerField(default=0)
    events_seen = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "events_checkpoint"

    def __str__(self) -> str:
        return f"{self.name} at {self.cursor or 'start'}"
