"""The smallest real read model: how many events of each type each kind of stream holds.

The worked example of a read model as one module: its table, its pure fold
(`count_events`), its projector (a batch adds to the counts; a rebuild counts in one query
on PostgreSQL) and its reader (`table_counts`), registered by one line in
events/projections/engine/projectors.py.

The kind of a stream is its id up to the first '-' (`incident-<uuid>` -> `incident`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from django.db import connection, models

from events import store
from events.projections.engine.projector import LogReplay, Projector

Key = tuple[str, str]


class StreamTypeCount(models.Model):
    """The smallest real projection: how many events of each type each kind of stream has.

    It proves the projector machinery (checkpoint, exactly-once batches, rebuild).
    """

    stream_type = models.CharField(max_length=100)
    event_type = models.CharField(max_length=100)
    count = models.BigIntegerField(default=0)

    class Meta:
        db_table = "events_proj_stream_type_count"
        constraints = [
            models.UniqueConstraint(
                fields=["stream_type", "event_type"], name="stream_type_count_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stream_type}/{self.event_type}: {self.count}"


def stream_type(stream_id: str) -> str:
    return stream_id.split("-", 1)[0]


def count_events(events: Iterable[store.RecordedEvent]) -> Counter[Key]:
    """The pure fold: (stream type, event type) -> number of events."""
    return Counter((stream_type(e.stream_id), e.type) for e in events)


class StreamTypeCountProjector(Projector):
    name = "stream_type_counts"
    tables = (StreamTypeCount,)

    def apply(self, events: Sequence[store.RecordedEvent]) -> None:
        counts = sorted(count_events(events).items())
        if not counts:
            return
        # One statement for the whole batch: add to each count, creating missing rows.
        table = connection.ops.quote_name(StreamTypeCount._meta.db_table)
        rows = ", ".join(["(%s, %s, %s)"] * len(counts))
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO {table} (stream_type, event_type, "count") VALUES {rows} '
                "ON CONFLICT (stream_type, event_type) "
                f'DO UPDATE SET "count" = {table}."count" + excluded."count"',
                [value for (kind, event_type), n in counts for value in (kind, event_type, n)],
            )

    def build(self, replay: LogReplay) -> None:
        if connection.vendor == "postgresql":
            counts = _count_in_database(replay)
        else:
            counts = count_events(replay)
        StreamTypeCount.objects.bulk_create(
            StreamTypeCount(stream_type=kind, event_type=event_type, count=n)
            for (kind, event_type), n in sorted(counts.items())
        )


def _count_in_database(replay: LogReplay) -> Counter[Key]:
    """The same counts as `count_events`, grouped by PostgreSQL (a rebuild reads no rows).

    Everything up to the head cursor is committed and visible (read_all's horizon), so the
    counts and the checkpoint describe the same prefix of the log.
    """
    head = store.head_cursor()
    if not head:
        return Counter()
    tx_id, position = store.parse_cursor(head)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT split_part(stream_id, '-', 1), type, count(*) FROM events_event "
            "WHERE (tx_id, position) <= (%s::text::xid8, %s) GROUP BY 1, 2",
            [tx_id, position],
        )
        counts = Counter({(kind, event_type): int(n) for kind, event_type, n in cursor.fetchall()})
    replay.reached(head, position, sum(counts.values()))
    return counts


def table_counts() -> Counter[Key]:
    return Counter({(r.stream_type, r.event_type): r.count for r in StreamTypeCount.objects.all()})
