"""The projector base: follow the log from a checkpoint, exactly once.

Each batch runs in one transaction: lock the projection's checkpoint row (so a second
projector run waits instead of applying the same events again), read the events after its
cursor with `read_all` (gap-free), apply them to the read-model tables and move the
checkpoint. A crash rolls the batch and the checkpoint back together, so every event is
applied exactly once however many projector runs race.

Rebuild (`rebuild()`): the whole log is folded into fresh tables that readers cannot see,
then swapped in, with the checkpoint, in one short transaction (events.projections.engine.swap).
Not one long DELETE-and-replay transaction: on PostgreSQL `read_all` hands out nothing
newer than the oldest transaction still running in the database, so a long rebuild
transaction would stall every projector and log reader until it committed. SQLite has no such
horizon (and one writer), so there the rebuild is that single transaction.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import TypeVar

from django.db import connection, models, transaction

from events import store
from events.models import Checkpoint
from events.projections.engine import shares, swap
from events.projections.engine.log_scan import LoggedEvent, LogScan

DEFAULT_BATCH = 500
REPLAY_PAGE = 5000
Progress = Callable[[int], object]
Job = TypeVar("Job")
Result = TypeVar("Result")


def chunks(items: Iterable[store.RecordedEvent], size: int) -> Iterator[list[store.RecordedEvent]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class LogReplay:
    """The whole log in read order, remembering where it ended (for the checkpoint)."""

    def __init__(self, progress: Progress | None = None) -> None:
        self.progress = progress
        self.cursor, self.position, self.count = "", 0, 0
        # The fresh tables a rebuild fills on PostgreSQL: a build may create each one's
        # indexes as soon as it is filled (swap.FreshTables.ready).
        self.fresh: swap.FreshTables | None = None

    def __iter__(self) -> Iterator[store.RecordedEvent]:
        while page := store.read_all(after=self.cursor or None, limit=REPLAY_PAGE):
            yield from page
            self.reached(page[-1].cursor, page[-1].position, len(page))

    def scan(self) -> Iterator[LoggedEvent]:
        """The same events as iterating, as light tuples read in bulk (log_scan): for
        rebuilds that fold the whole log at once."""
        scan = LogScan(self.progress)
        yield from scan
        self.cursor, self.position, self.count = scan.cursor, scan.position, scan.count

    def in_shares(
        self,
        work: Callable[[LogScan, Job], Result],
        job: Job,
        all_written: Callable[[], object] | None = None,
    ) -> list[Result]:
        """`work(scan, job)` over the log up to its head, split among processes (see
        events.projections.engine.shares); the results of the shares, in order."""
        head = store.head_cursor()
        results, read = shares.scan_in_shares(
            work, job, head, self.progress, all_written=all_written
        )
        self.cursor, self.count = head, read
        self.position = store.parse_cursor(head)[1] if head else 0
        return results

    def reached(self, cursor: str, position: int, more: int) -> None:
        self.cursor, self.position = cursor, position
        self.count += more
        if self.progress:
            self.progress(more)


class Projector:
    """Subclasses set `name` and `tables` and implement `apply`."""

    name: str = ""
    # Children before parents (the order rows are deleted in).
    tables: Sequence[type[models.Model]] = ()

    def apply(self, events: Sequence[store.RecordedEvent]) -> None:
        """Write the changes these events make; called inside the batch's transaction."""
        raise NotImplementedError

    def build(self, replay: LogReplay) -> None:
        """Fill empty tables from the whole log. Subclasses may fold it all at once."""
        for batch in chunks(replay, DEFAULT_BATCH):
            self.apply(batch)

    def _locked_checkpoint(self) -> Checkpoint:
        # One query once the row exists (every batch but the first ever).
        locked = Checkpoint.objects.select_for_update().filter(name=self.name).first()
        if locked is not None:
            return locked
        Checkpoint.objects.get_or_create(name=self.name)
        return Checkpoint.objects.select_for_update().get(name=self.name)

    @staticmethod
    def _move(checkpoint: Checkpoint, cursor: str, position: int, seen: int) -> None:
        checkpoint.cursor, checkpoint.position, checkpoint.events_seen = cursor, position, seen
        checkpoint.save()

    def run_once(self, *, batch_size: int = DEFAULT_BATCH) -> int:
        """Apply one batch; return how many events it held (0: caught up)."""
        with transaction.atomic():
            checkpoint = self._locked_checkpoint()
            events = store.read_all(after=checkpoint.cursor or None, limit=batch_size)
            if not events:
                return 0
            self.apply(events)
            last = events[-1]
            self._move(checkpoint, last.cursor, last.position, checkpoint.events_seen + len(events))
            return len(events)

    def catch_up(self, *, batch_size: int = DEFAULT_BATCH) -> int:
        """Apply batches until one comes back short of `batch_size`.

        A short batch read everything `read_all` could hand out then; whatever becomes
        visible later was committed by a writer whose own wake-up (or the periodic
        catch-up) runs this again. Not asking once more saves a locked, empty batch on
        every wake-up.
        """
        total = 0
        while applied := self.run_once(batch_size=batch_size):
            total += applied
            if applied < batch_size:
                break
        return total

    def rebuild(self, *, progress: Progress | None = None) -> int:
        """Replay the whole log into fresh tables and swap them in; return the events read.

        Readers see the old rows until the swap commits, never a half-built projection.
        Events appended meanwhile are applied by the next incremental run.
        """
        replay = LogReplay(progress)
        gc.disable()  # a rebuild allocates millions of long-lived objects: no GC passes
        try:
            if connection.vendor != "postgresql":
                with transaction.atomic():
                    checkpoint = self._locked_checkpoint()
                    for table in self.tables:
                        table._default_manager.all().delete()
                    self.build(replay)
                    self._move(checkpoint, replay.cursor, replay.position, replay.count)
                return replay.count
            with swap.fresh_tables(self.name, self.tables) as fresh:
                replay.fresh = fresh
                self.build(replay)
                fresh.index()
                with transaction.atomic():
                    checkpoint = self._locked_checkpoint()  # no incremental run in between
                    fresh.swap_in()
                    self._move(checkpoint, replay.cursor, replay.position, replay.count)
            return replay.count
        finally:
            gc.enable()
