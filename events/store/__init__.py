"""The event store: append to a stream with optimistic concurrency, read a stream, read all.

Public API (everything else in the project goes through it):

    append(stream_id, [NewEvent(type, data, metadata, event_id)], expected_version=n)
    read_stream(stream_id, up_to_version=None)
    read_all(after=cursor, limit=1000)

One interface (`base.EventStore`), one implementation per database: `postgresql` (the
gap-free `(tx_id, position)` reader, single-statement appends, server-side binding) and
`sqlite` (one writer: position order is commit order). The implementation is chosen once,
on first use, from the default connection's vendor; a process talks to one kind of database
(its read replicas, events.replicas, run the primary's engine).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from events.live.notify import announce_append
from events.store.base import (
    ANY,
    MAX_STREAM_ID,
    ConcurrencyError,
    EventStore,
    InvalidCursor,
    Json,
    NewEvent,
    RecordedEvent,
    format_cursor,
    parse_cursor,
)

__all__ = [
    "ANY",
    "MAX_STREAM_ID",
    "ConcurrencyError",
    "EventStore",
    "InvalidCursor",
    "Json",
    "NewEvent",
    "RecordedEvent",
    "append",
    "events_after",
    "format_cursor",
    "head_cursor",
    "implementation",
    "parse_cursor",
    "read_all",
    "read_stream",
    "stream_version",
]


@cache
def implementation() -> EventStore:
    """The store for the default database, chosen once."""
    from django.db import connection

    if connection.vendor == "postgresql":
        from events.store.postgresql import PostgreSQLStore

        return PostgreSQLStore()
    from events.store.sqlite import SQLiteStore

    return SQLiteStore()


def append(
    stream_id: str, events: Sequence[NewEvent], *, expected_version: int | None
) -> list[RecordedEvent]:
    """Append `events` to `stream_id` atomically and return them as recorded.

    expected_version: the stream's current version (0: the stream must not exist yet), or
    None to append whatever it is. A stale one raises ConcurrencyError and writes nothing.
    Events whose event_id is already stored are not written again: the stored ones are
    returned, so a retried command is a no-op.
    """
    recorded = implementation().append(stream_id, events, expected_version=expected_version)
    announce_append()  # live readers wake once the append has committed
    return recorded


def stream_version(stream_id: str) -> int:
    """The stream's current version, 0 when it does not exist."""
    return implementation().stream_version(stream_id)


def read_stream(stream_id: str, *, up_to_version: int | None = None) -> list[RecordedEvent]:
    return implementation().read_stream(stream_id, up_to_version=up_to_version)


def read_all(
    *,
    after: str | None = None,
    limit: int = 1000,
    types: Sequence[str] | None = None,
    stream_id: str | None = None,
) -> list[RecordedEvent]:
    """Up to `limit` committed events after `after`, in read order, never skipping one.

    Pass the last event's `.cursor` back as `after` for the next page. `types` and
    `stream_id` filter without changing the order or the cursor's meaning.
    """
    return implementation().read_all(after=after, limit=limit, types=types, stream_id=stream_id)


def head_cursor() -> str:
    """The cursor of the newest event `read_all` would return now ('' for an empty log)."""
    return implementation().head_cursor()


def events_after(cursor: str) -> int:
    """Committed events the log holds after `cursor` (in read order)."""
    return implementation().events_after(cursor)
