"""Reading the whole log for a rebuild in one pass, without `RecordedEvent`s.

`store.read_all` pages through the log and decodes every column of every row into a
`RecordedEvent` (metadata, uuid, timestamps): right for a projector batch, most of a
rebuild's time over a million events. A rebuild only needs each event's stream, version,
type, payload and record time, in read order, up to one point of the log. On PostgreSQL
this reads them with one `COPY (SELECT ...) TO STDOUT` up to `store.head_cursor()`: that
cursor lies below the store's gap-free horizon (every transaction that could still commit
a row before it has ended), so the prefix is complete and the checkpoint can be set to it,
exactly as `read_all` would have reached it page by page. Elsewhere it pages through
`read_all` (SQLite: one writer, position order is commit order).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple

import orjson
from django.db import connection
from psycopg.types.json import set_json_loads

from events import store, upcasting
from events.domain.fold import LoggedEvent

__all__ = ["LogScan", "LoggedEvent", "Part"]

PROGRESS_EVERY = 5000
# For the scan's transaction only (see LogScan._copied).
_SCAN_SETTINGS = (("enable_sort", "off"), ("max_parallel_workers_per_gather", "0"), ("jit", "off"))


class Part(NamedTuple):
    """One of `total` disjoint shares of the log's streams (PostgreSQL): a rebuild folds
    each share in a process of its own. A stream's events all fall in the same share."""

    number: int  # 0 .. total - 1
    total: int

    def sql(self) -> str:
        """The condition on `stream_id` that selects this share."""
        return f"(hashtext(stream_id) & 2147483647) % {int(self.total)} = {int(self.number)}"


class LogScan:
    """Iterate the log's events up to its head; afterwards `cursor`, `position` and `count`
    say where the scan ended (what the checkpoint must say).

    head: read up to this cursor rather than the head now (the processes of one rebuild
    all read the same prefix). part: only this share of the streams (PostgreSQL).
    """

    def __init__(
        self,
        progress: Callable[[int], object] | None = None,
        *,
        head: str | None = None,
        part: Part | None = None,
    ) -> None:
        self.progress, self.head, self.part = progress, head, part
        self.cursor, self.position, self.count = "", 0, 0

    def __iter__(self) -> Iterator[LoggedEvent]:
        if connection.vendor != "postgresql":
            yield from self._paged()
            return
        head = store.head_cursor() if self.head is None else self.head
        if not head:
            return
        # Read after the head: a stream's version now is at least its version at the head,
        # so an event that carries it is its stream's last one up to the head.
        share = f" WHERE {self.part.sql()}" if self.part else ""
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            cursor.execute(f"SELECT stream_id, version FROM events_stream{share}")
            latest = dict(cursor.fetchall())
        yield from self._copied(*store.parse_cursor(head), latest)
        self.cursor, self.position = head, store.parse_cursor(head)[1]

    def _paged(self) -> Iterator[LoggedEvent]:
        while page := store.read_all(after=self.cursor or None, limit=PROGRESS_EVERY):
            for e in page:
                yield LoggedEvent(e.stream_id, e.version, e.type, e.data, e.recorded_at.isoformat())
            self.cursor, self.position = page[-1].cursor, page[-1].position
            self._count(len(page))

    def _copied(self, tx_id: int, position: int, latest: dict[str, int]) -> Iterator[LoggedEvent]:
        # The record time formatted by the server as Python's isoformat() of a UTC datetime
        # (the microseconds are trimmed below when 0, as isoformat() does).
        share = f"AND {self.part.sql()} " if self.part else ""
        sql = (
            "COPY (SELECT stream_id, version, type, schema_version, data, "
            "to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') "
            "FROM events_event "
            f"WHERE (tx_id, position) <= ('{int(tx_id)}'::xid8, {int(position)}) {share}"
            # Binary: neither end escapes or scans the payloads' text, and psycopg parses
            # the rows in C (a third less time than the text format, measured on 1M events).
            "ORDER BY tx_id, position) TO STDOUT (FORMAT BINARY)"
        )
        current: dict[str, int] = {}
        current_version, latest_version = upcasting.current_version, latest.get
        pending = 0
        raw = connection.connection
        with raw.transaction(), raw.cursor() as cursor:
            set_json_loads(orjson.loads, cursor)
            # The log's index already gives this order. A share's condition hides that from
            # the planner (it guesses a handful of rows and would sort the share, or split
            # the scan among parallel workers when the rebuild's processes need the cores);
            # compiling the query (JIT) costs more than it saves on this one pass.
            for name, value in _SCAN_SETTINGS:
                cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
            with cursor.copy(sql) as copy:
                copy.set_types(["text", "int4", "text", "int2", "jsonb", "text"])
                for stream_id, version, type_, schema_version, payload, recorded in copy.rows():
                    if schema_version != current.setdefault(type_, current_version(type_)):
                        schema_version, payload = upcasting.upcast(type_, schema_version, payload)
                    if recorded.endswith(".000000"):
                        recorded = recorded[:-7]
                    yield LoggedEvent(
                        stream_id,
                        version,
                        type_,
                        payload,
                        recorded + "+00:00",
                        version == latest_version(stream_id),
                    )
                    pending += 1
                    if pending == PROGRESS_EVERY:
                        self._count(pending)
                        pending = 0
        self._count(pending)

    def _count(self, more: int) -> None:
        self.count += more
        if self.progress and more:
            self.progress(more)
