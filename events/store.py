"""The event store: append to a stream with optimistic concurrency, read a stream, read all.

Public API (everything else in the project goes through it):

    append(stream_id, [NewEvent(type, data, metadata, event_id)], expected_version=n)
    read_stream(stream_id, up_to_version=None)
    read_all(after=cursor, limit=1000)

Ordering and visibility. `position` is a global identity, but identities are handed out at
insert time and transactions commit in another order, so a reader that asks for
`position > last seen` can miss a row that commits late with a smaller position. On
PostgreSQL every row also carries the id of the transaction that wrote it (`tx_id`, xid8);
`read_all` orders by `(tx_id, position)` and only returns rows of transactions older than
every transaction still in flight. Such a transaction can never commit a row "behind"
the cursor, so nothing is skipped and no global lock is needed. Consequence: rows written
in a transaction that is still open (the caller's own included) are not returned until it
commits and every older one has ended.

The horizon is `pg_snapshot_xmin(pg_current_snapshot())` but for one refinement: xids are
cluster-wide, so a long transaction in ANOTHER database of the same server (a report, an
idle psql session) would freeze every reader here although it can never write this log.
In-flight xids that pg_stat_activity attributes to another database are therefore left
out of the horizon; an in-flight xid it cannot attribute (its backend just committed, a
prepared transaction) is kept, so the refinement can only hold readers back, never skip.
SQLite has a single writer, so position order is commit order there.

Reads (`read_all`, `read_stream`, `head_cursor`) go to a streaming replica inside
`replicas.replica_reads()`, where the same horizon holds (events.replicas); appends always
go to the primary.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from . import replicas, upcasting

Json = dict[str, Any]

ANY = None  # expected_version=ANY appends whatever the stream's version is
MAX_STREAM_ID = 200


class ConcurrencyError(Exception):
    """The stream's version was not the expected one: somebody appended first."""

    def __init__(self, stream_id: str, expected: int | None, actual: int | None) -> None:
        self.stream_id, self.expected, self.actual = stream_id, expected, actual
        super().__init__(
            f"stream {stream_id!r} is at version {actual if actual is not None else 0}, "
            f"expected {expected}"
        )


class InvalidCursor(ValueError):
    """A read cursor that this store did not hand out."""


@dataclass(frozen=True)
class NewEvent:
    type: str
    data: Json
    metadata: Json = field(default_factory=dict)
    event_id: uuid.UUID | None = None
    occurred_on: date | None = None


@dataclass(frozen=True)
class RecordedEvent:
    position: int
    tx_id: int
    stream_id: str
    version: int
    event_id: uuid.UUID
    type: str
    schema_version: int
    data: Json
    metadata: Json
    recorded_at: datetime
    occurred_on: date | None

    @property
    def cursor(self) -> str:
        return format_cursor(self.tx_id, self.position)


def format_cursor(tx_id: int, position: int) -> str:
    return f"{tx_id}-{position}"


def parse_cursor(cursor: str | None) -> tuple[int, int]:
    if cursor in (None, "", "0"):
        return 0, 0
    try:
        tx_text, pos_text = str(cursor).split("-", 1)
        tx_id, position = int(tx_text), int(pos_text)
    except ValueError:
        raise InvalidCursor(f"invalid cursor {cursor!r}: expected '<tx>-<position>'") from None
    if tx_id < 0 or position < 0:
        raise InvalidCursor(f"invalid cursor {cursor!r}: negative")
    return tx_id, position


_COLUMNS = (
    "position, tx_id, stream_id, version, event_id, type, schema_version, data, metadata, "
    "recorded_at, occurred_on"
)
_ENCODER = DjangoJSONEncoder()


def _dumps(value: Json) -> str:
    return _ENCODER.encode(value)


def _load_json(value: Any) -> Json:
    if isinstance(value, str):
        import json

        loaded: Json = json.loads(value)
        return loaded
    return dict(value)


def _row_to_event(row: Sequence[Any]) -> RecordedEvent:
    (
        position,
        tx_id,
        stream_id,
        version,
        event_id,
        type_,
        schema_version,
        data,
        metadata,
        recorded_at,
        occurred_on,
    ) = row
    schema_version, payload = upcasting.upcast(type_, schema_version, _load_json(data))
    if isinstance(recorded_at, str):  # SQLite hands back text from raw cursors
        recorded_at = datetime.fromisoformat(recorded_at)
    if isinstance(occurred_on, str):
        occurred_on = date.fromisoformat(occurred_on)
    if recorded_at.tzinfo is None:
        recorded_at = recorded_at.replace(tzinfo=UTC)
    return RecordedEvent(
        position=int(position),
        tx_id=int(tx_id or 0),
        stream_id=stream_id,
        version=int(version),
        event_id=event_id if isinstance(event_id, uuid.UUID) else uuid.UUID(str(event_id)),
        type=type_,
        schema_version=schema_version,
        data=payload,
        metadata=_load_json(metadata),
        recorded_at=recorded_at,
        occurred_on=occurred_on,
    )


def _validate(stream_id: str, events: Sequence[NewEvent], expected_version: int | None) -> None:
    if not stream_id or len(stream_id) > MAX_STREAM_ID:
        raise ValueError(f"stream_id must be 1..{MAX_STREAM_ID} characters")
    if not events:
        raise ValueError("append needs at least one event")
    if expected_version is not None and expected_version < 0:
        raise ValueError("expected_version must be >= 0 or None")
    ids = [e.event_id for e in events if e.event_id is not None]
    if len(ids) != len(set(ids)):
        raise ValueError("the same event_id twice in one append")


def append(
    stream_id: str, events: Sequence[NewEvent], *, expected_version: int | None
) -> list[RecordedEvent]:
    """Append `events` to `stream_id` atomically and return them as recorded.

    expected_version: the stream's current version (0: the stream must not exist yet), or
    None to append whatever it is. A stale one raises ConcurrencyError and writes nothing.
    Events whose event_id is already stored are not written again: the stored ones are
    returned, so a retried command is a no-op.
    """
    _validate(stream_id, events, expected_version)
    ids = [e.event_id or uuid.uuid4() for e in events]
    caller_chose_ids = any(e.event_id is not None for e in events)
    try:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # On PostgreSQL the append is one statement, hence one transaction by itself:
            # no BEGIN/COMMIT round trips. Inside a caller's transaction, a savepoint keeps
            # a conflict from breaking it.
            return _insert(stream_id, events, ids, expected_version)
        with transaction.atomic():
            return _insert(stream_id, events, ids, expected_version)
    except (ConcurrencyError, IntegrityError):
        # A retry of an append that already landed conflicts on version or event_id:
        # answer with what is stored. Anything else is a genuine conflict or bad data.
        if caller_chose_ids:
            stored = _stored_events(ids)
            if len(stored) == len(ids):
                return stored
            if stored:
                raise ValueError(
                    "some of these event ids are already stored and some are not"
                ) from None
        raise


def _stored_events(ids: Sequence[uuid.UUID]) -> list[RecordedEvent]:
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_COLUMNS} FROM events_event WHERE event_id IN ({placeholders})"
            " ORDER BY position",
            [_db_uuid(i) for i in ids],
        )
        return [_row_to_event(r) for r in cursor.fetchall()]


def _db_uuid(value: uuid.UUID) -> Any:
    return value if connection.vendor == "postgresql" else value.hex


def _value_rows(
    events: Sequence[NewEvent], ids: Sequence[uuid.UUID], now: datetime
) -> tuple[list[Any], int]:
    params: list[Any] = []
    for index, (event, event_id) in enumerate(zip(events, ids, strict=True)):
        params += [
            index + 1,
            _db_uuid(event_id),
            event.type,
            upcasting.current_version(event.type),
            _dumps(event.data),
            _dumps(event.metadata),
            now,
            event.occurred_on,
        ]
    return params, 8


def _insert(
    stream_id: str,
    events: Sequence[NewEvent],
    ids: Sequence[uuid.UUID],
    expected_version: int | None,
) -> list[RecordedEvent]:
    n = len(events)
    now = timezone.now()
    values, width = _value_rows(events, ids, now)
    if connection.vendor == "postgresql":
        return _insert_postgresql(stream_id, n, values, width, expected_version)
    return _insert_sqlite(stream_id, n, values, width, expected_version)


def _insert_postgresql(
    stream_id: str, n: int, values: list[Any], width: int, expected_version: int | None
) -> list[RecordedEvent]:
    # One statement, one round trip: bump the stream row (the lock that orders writers of
    # a stream) and insert the batch only if the bump matched the expected version.
    if expected_version is None:
        bump = (
            "INSERT INTO events_stream (stream_id, version) VALUES (%s, %s) "
            "ON CONFLICT (stream_id) DO UPDATE SET version = events_stream.version + "
            "EXCLUDED.version RETURNING version - %s AS base"
        )
        bump_params: list[Any] = [stream_id, n, n]
    elif expected_version == 0:
        bump = (
            "INSERT INTO events_stream (stream_id, version) VALUES (%s, %s) "
            "ON CONFLICT (stream_id) DO NOTHING RETURNING 0 AS base"
        )
        bump_params = [stream_id, n]
    else:
        bump = (
            "UPDATE events_stream SET version = version + %s "
            "WHERE stream_id = %s AND version = %s RETURNING version - %s AS base"
        )
        bump_params = [n, stream_id, expected_version, n]
    row_sql = (
        "(%s::int, %s::uuid, %s::varchar, %s::smallint, %s::jsonb, %s::jsonb, "
        "%s::timestamptz, %s::date)"
    )
    rows = ", ".join([row_sql] * n)
    sql = (
        f"WITH s AS ({bump}), "
        f"v(idx, event_id, type, schema_version, data, metadata, recorded_at, occurred_on) "
        f"AS (VALUES {rows}) "
        "INSERT INTO events_event (stream_id, version, event_id, type, schema_version, data, "
        "metadata, recorded_at, occurred_on) "
        "SELECT %s, s.base + v.idx, v.event_id, v.type, v.schema_version, v.data, v.metadata, "
        "v.recorded_at, v.occurred_on FROM s CROSS JOIN v ORDER BY v.idx "
        f"RETURNING {_COLUMNS}"
    )
    recorded = [
        _row_to_event(r)
        for r in _fetch_prepared(connection, sql, [*bump_params, *values, stream_id])
    ]
    if not recorded:
        raise ConcurrencyError(stream_id, expected_version, _current_version(stream_id))
    recorded.sort(key=lambda e: e.version)
    return recorded


def _insert_sqlite(
    stream_id: str, n: int, values: list[Any], width: int, expected_version: int | None
) -> list[RecordedEvent]:
    with connection.cursor() as cursor:
        if expected_version is None:
            cursor.execute(
                "INSERT INTO events_stream (stream_id, version) VALUES (%s, %s) "
                "ON CONFLICT (stream_id) DO UPDATE SET version = version + excluded.version "
                "RETURNING version - %s",
                [stream_id, n, n],
            )
        elif expected_version == 0:
            cursor.execute(
                "INSERT INTO events_stream (stream_id, version) VALUES (%s, %s) "
                "ON CONFLICT (stream_id) DO NOTHING RETURNING 0",
                [stream_id, n],
            )
        else:
            cursor.execute(
                "UPDATE events_stream SET version = version + %s "
                "WHERE stream_id = %s AND version = %s RETURNING version - %s",
                [n, stream_id, expected_version, n],
            )
        row = cursor.fetchone()
        if row is None:
            raise ConcurrencyError(stream_id, expected_version, _current_version(stream_id))
        base = int(row[0])
        params: list[Any] = []
        for i in range(n):
            idx, event_id, type_, schema_version, data, metadata, recorded_at, occurred_on = values[
                i * width : (i + 1) * width
            ]
            params += [
                stream_id,
                base + idx,
                event_id,
                type_,
                schema_version,
                data,
                metadata,
                recorded_at.isoformat(),
                occurred_on.isoformat() if occurred_on else None,
            ]
        rows = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s)"] * n)
        cursor.execute(
            "INSERT INTO events_event (stream_id, version, event_id, type, schema_version, data, "
            f"metadata, recorded_at, occurred_on) VALUES {rows} RETURNING {_COLUMNS}",
            params,
        )
        recorded = [_row_to_event(r) for r in cursor.fetchall()]
    recorded.sort(key=lambda e: e.version)
    return recorded


def _current_version(stream_id: str) -> int | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT version FROM events_stream WHERE stream_id = %s", [stream_id])
            row = cursor.fetchone()
    except DatabaseError:  # inside a broken transaction: the message can do without it
        return None
    return int(row[0]) if row else 0


def stream_version(stream_id: str) -> int:
    """The stream's current version, 0 when it does not exist."""
    return _current_version(stream_id) or 0


def read_stream(stream_id: str, *, up_to_version: int | None = None) -> list[RecordedEvent]:
    sql = f"SELECT {_COLUMNS} FROM events_event WHERE stream_id = %s"
    params: list[Any] = [stream_id]
    if up_to_version is not None:
        sql += " AND version <= %s"
        params.append(up_to_version)
    with _reading().cursor() as cursor:
        cursor.execute(sql + " ORDER BY version", params)
        return [_row_to_event(r) for r in cursor.fetchall()]


# The read horizon on PostgreSQL: the oldest in-flight xid of the statement's snapshot
# that may belong to this database, or the snapshot's xmax when there is none. Rows with a
# smaller tx_id were written by transactions that have ended. pg_stat_activity shows xids
# as 32-bit `xid`; an xid8's low 32 bits identify it among the ones in flight.
# On a hot standby the snapshot lists no in-flight xids at all (the standby keeps them with
# the subtransactions, which pg_current_snapshot() leaves out) although its xmin is right,
# and pg_stat_activity there knows nothing of the primary's sessions: the horizon is xmin.
_HORIZON_CTE = """WITH snap AS MATERIALIZED (SELECT pg_current_snapshot() AS s),
foreign_xids AS (
    SELECT backend_xid::text::bigint AS xid32 FROM pg_stat_activity
    WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM current_database()
),
horizon AS (
    SELECT CASE WHEN pg_is_in_recovery() THEN (SELECT pg_snapshot_xmin(s) FROM snap)
    ELSE COALESCE(
        (SELECT min(x) FROM snap, pg_snapshot_xip(snap.s) AS x
         WHERE mod(x::text::bigint, 4294967296) NOT IN (SELECT xid32 FROM foreign_xids)),
        (SELECT pg_snapshot_xmax(s) FROM snap)
    ) END AS xid
)"""


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
    if limit < 1:
        raise ValueError("limit must be >= 1")
    tx_id, position = parse_cursor(after)
    db = _reading()
    filters = ""
    params: list[Any] = []
    if types:
        filters += " AND type IN (" + ", ".join(["%s"] * len(types)) + ")"
        params += list(types)
    if stream_id:
        filters += " AND stream_id = %s"
        params.append(stream_id)
    if db.vendor == "postgresql":
        sql = (
            f"{_HORIZON_CTE} SELECT {_COLUMNS} FROM events_event, horizon "
            "WHERE (tx_id, position) > (%s::text::xid8, %s) AND tx_id < horizon.xid"
            f"{filters} ORDER BY tx_id, position LIMIT %s"
        )
        params = [tx_id, position, *params, limit]
    else:
        sql = (
            f"SELECT {_COLUMNS} FROM events_event WHERE position > %s{filters} "
            "ORDER BY position LIMIT %s"
        )
        params = [position, *params, limit]
    if db.vendor == "postgresql":
        return [_row_to_event(r) for r in _fetch_prepared(db, sql, params)]
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        return [_row_to_event(r) for r in cursor.fetchall()]


def _reading() -> BaseDatabaseWrapper:
    """The connection reads go to: a replica inside `replicas.replica_reads()`, else the
    primary (events.replicas)."""
    return connections[replicas.read_alias()]


def _fetch_prepared(
    db: BaseDatabaseWrapper, sql: str, params: Sequence[Any]
) -> list[tuple[Any, ...]]:
    """Run a hot statement on PostgreSQL through psycopg's own cursor.

    Django's cursor binds parameters client-side, so PostgreSQL parses and plans the
    statement anew on every call; psycopg's cursor binds server-side and prepares a
    statement it has seen a few times. Same connection and transaction; errors still
    surface as Django's database exceptions.
    """
    db.ensure_connection()
    with db.wrap_database_errors, db.connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def head_cursor() -> str:
    """The cursor of the newest event `read_all` would return now ('' for an empty log)."""
    db = _reading()
    if db.vendor == "postgresql":
        sql = (
            f"{_HORIZON_CTE} SELECT tx_id, position FROM events_event, horizon "
            "WHERE tx_id < horizon.xid ORDER BY tx_id DESC, position DESC LIMIT 1"
        )
    else:
        sql = "SELECT 0, position FROM events_event ORDER BY position DESC LIMIT 1"
    with db.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return format_cursor(int(row[0] or 0), int(row[1])) if row else ""
