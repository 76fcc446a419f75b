"""The projector base: follow the log from a checkpoint, exactly once.

Each batch runs in one transaction: lock the projection's checkpoint row (so a second
projector run waits instead of applying the same events again), read the events after its
cursor with `read_all` (gap-free), apply them to the read-model tables and move the
checkpoint. A crash rolls the batch and the checkpoint back together, so every event is
applied exactly once however many projector runs race.

Rebuild: one transaction that deletes the projection's rows, replays the whole log and
moves the checkpoint. Readers keep seeing the old rows until the commit (PostgreSQL's
MVCC: a DELETE, unlike TRUNCATE, takes no lock that blocks readers); no DDL, no table
swap, and the same code path on SQLite. Incremental runs wait on the checkpoint lock.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import models, transaction

from events import store
from events.models import Checkpoint

DEFAULT_BATCH = 500
Progress = Callable[[int], object]


class Projector:
    """Subclasses set `name` and `tables` and implement `apply`."""

    name: str = ""
    # Deleted (in this order) by `rebuild`: children before parents.
    tables: Sequence[type[models.Model]] = ()

    def apply(self, events: Sequence[store.RecordedEvent]) -> None:
        """Write the changes these events make; called inside the batch's transaction."""
        raise NotImplementedError

    def _locked_checkpoint(self) -> Checkpoint:
        Checkpoint.objects.get_or_create(name=self.name)
        return Checkpoint.objects.select_for_update().get(name=self.name)

    def _advance(self, checkpoint: Checkpoint, events: Sequence[store.RecordedEvent]) -> None:
        last = events[-1]
        checkpoint.cursor = last.cursor
        checkpoint.position = last.position
        checkpoint.events_seen += len(events)
        checkpoint.save()

    def run_once(self, *, batch_size: int = DEFAULT_BATCH) -> int:
        """Apply one batch; return how many events it held (0: caught up)."""
        with transaction.atomic():
            checkpoint = self._locked_checkpoint()
            events = store.read_all(after=checkpoint.cursor or None, limit=batch_size)
            if not events:
                return 0
            self.apply(events)
            self._advance(checkpoint, events)
            return len(events)

    def catch_up(self, *, batch_size: int = DEFAULT_BATCH) -> int:
        total = 0
        while applied := self.run_once(batch_size=batch_size):
            total += applied
        return total

    def rebuild(self, *, batch_size: int = DEFAULT_BATCH, progress: Progress | None = None) -> int:
        """Replay the whole log into empty tables, atomically; return the events replayed."""
        with transaction.atomic():
            checkpoint = self._locked_checkpoint()
            for table in self.tables:
                table._default_manager.all().delete()
            checkpoint.cursor, checkpoint.position, checkpoint.events_seen = "", 0, 0
            total = 0
            while events := store.read_all(after=checkpoint.cursor or None, limit=batch_size):
                self.apply(events)
                self._advance(checkpoint, events)
                total += len(events)
                if progress:
                    progress(len(events))
            checkpoint.save()
            return total
