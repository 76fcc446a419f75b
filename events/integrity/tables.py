"""The integrity tables, beside the log and append-only like it (migration 0011)."""

from django.db import models

__all__ = ["LogCheck", "Seal"]


class Seal(models.Model):
    """A Merkle root over the events read since the previous seal (read order, as
    `store.read_all` returns them), with the previous seal's root as the first leaf, so
    the newest root commits to the whole log. Outsiders keep copies (`/api/log/head/`)."""

    number = models.PositiveBigIntegerField(primary_key=True)  # 1, 2, ...: no gap, no fork
    after_tx_id = models.BigIntegerField(help_text="read cursor the seal starts after")
    after_position = models.BigIntegerField()
    tx_id = models.BigIntegerField(help_text="read cursor of the last event sealed")
    position = models.BigIntegerField()
    event_count = models.PositiveIntegerField()
    root = models.BinaryField(max_length=32)
    sealed_at = models.DateTimeField()

    class Meta:
        db_table = "events_seal"
        ordering = ["number"]

    def __str__(self) -> str:
        return f"seal {self.number} up to #{self.position}"


class LogCheck(models.Model):
    """The outcome of one verification of the whole log (for the dashboard)."""

    checked_at = models.DateTimeField()
    ok = models.BooleanField()
    events_checked = models.PositiveBigIntegerField()
    seals_checked = models.PositiveBigIntegerField()
    first_bad_position = models.BigIntegerField(null=True, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        db_table = "events_log_check"
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return f"{'ok' if self.ok else 'FAILED'} at {self.checked_at:%Y-%m-%d %H:%M}"
