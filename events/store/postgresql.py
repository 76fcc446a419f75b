"""The event store on PostgreSQL: gap-free reading by transaction id, one-statement appends.

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

On a hot standby (reads inside `replicas.replica_reads()`) the horizon is the snapshot's
xmin: there the snapshot lists no in-flight xids (events.replicas says why xmin holds).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from events.integrity import chain
from events.store.base import (
    COLUMNS,
    ConcurrencyError,
    EventStore,
    NewEvent,
    RecordedEvent,
    bump,
    format_cursor,
    parse_cursor,
    reading,
    row_to_event,
)

# The read horizon: the oldest in-flight xid of the statement's snapshot that may belong
# to this database, or the snapshot's xmax when there is none. Rows with a smaller tx_id
# were written by transactions that have ended. pg_stat_activity shows xids as 32-bit
# `xid`; an xid8's low 32 bits identify it among the ones in flight.
# On a hot standby the snapshot lists no in-flight xids at all (the standby keeps them with
# the subtransactions, which pg_current_snapshot() leaves out) although its xmin is right,
# and pg_stat_activity there knows nothing of the primary's sessions: the horizon is xmin.
HORIZON_CTE = """WITH snap AS MATERIALIZED (SELECT pg_current_snapshot() AS s),
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

# One statement, one round trip: bump the stream row ({bump}, base.bump) and insert the
# batch ({rows}: one VALUES row per event) only if the bump matched the expected version,
# each row with its chain hash (chain.PG_CHAIN_CTE: set-based, after the bump's lock).
INSERT_BATCH = (
    "WITH RECURSIVE s AS ({bump}), "
    "v(idx, event_id, type, schema_version, data, metadata, recorded_at, occurred_on) "
    f"AS (VALUES {{rows}}), {chain.PG_CHAIN_CTE} "
    "INSERT INTO events_event (stream_id, version, event_id, type, schema_version, data, "
    "metadata, recorded_at, occurred_on, chain_hash) "
    "SELECT %s, s.base + v.idx, v.event_id, v.type, v.schema_version, v.data, v.metadata, "
    "v.recorded_at, v.occurred_on, chain.hash FROM s CROSS JOIN v "
    f"JOIN chain ON chain.idx = v.idx ORDER BY v.idx RETURNING {COLUMNS}"
)
INSERT_ROW = (
    "(%s::int, %s::uuid, %s::varchar, %s::smallint, %s::jsonb, %s::jsonb, "
    "%s::timestamptz, %s::date)"
)
READ_ALL = (
    f"{HORIZON_CTE} SELECT {COLUMNS} FROM events_event, horizon "
    "WHERE (tx_id, position) > (%s::text::xid8, %s) AND tx_id < horizon.xid"
    "{filters} ORDER BY tx_id, position LIMIT %s"
)
HEAD_CURSOR = (
    f"{HORIZON_CTE} SELECT tx_id, position FROM events_event, horizon "
    "WHERE tx_id < horizon.xid ORDER BY tx_id DESC, position DESC LIMIT 1"
)
COUNT_AFTER = "SELECT count(*) FROM events_event WHERE (tx_id, position) > (%s::text::xid8, %s)"


def fetch_prepared(
    db: BaseDatabaseWrapper, sql: str, params: Sequence[Any]
) -> list[tuple[Any, ...]]:
    """Run a hot statement through psycopg's own cursor.

    Django's cursor binds parameters client-side, so PostgreSQL parses and plans the
    statement anew on every call; psycopg's cursor binds server-side and prepares a
    statement it has seen a few times. Same connection and transaction; errors still
    surface as Django's database exceptions.
    """
    db.ensure_connection()
    with db.wrap_database_errors, db.connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class PostgreSQLStore(EventStore):
    def db_uuid(self, value: uuid.UUID) -> Any:
        return value

    def insert_atomically(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        ids: Sequence[uuid.UUID],
        expected_version: int | None,
    ) -> list[RecordedEvent]:
        if not connection.in_atomic_block:
            # The append is one statement, hence one transaction by itself: no
            # BEGIN/COMMIT round trips. Inside a caller's transaction, a savepoint keeps a
            # conflict from breaking it.
            return self.insert(stream_id, events, ids, expected_version)
        return super().insert_atomically(stream_id, events, ids, expected_version)

    def insert(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        ids: Sequence[uuid.UUID],
        expected_version: int | None,
    ) -> list[RecordedEvent]:
        bump_sql, bump_params = bump(stream_id, len(events), expected_version)
        values = [v for row in self.value_rows(events, ids, timezone.now()) for v in row]
        sql = INSERT_BATCH.format(bump=bump_sql, rows=", ".join([INSERT_ROW] * len(events)))
        chain_params = [stream_id] * chain.PG_CHAIN_PARAMETERS
        rows = fetch_prepared(connection, sql, [*bump_params, *values, *chain_params, stream_id])
        recorded = [row_to_event(r) for r in rows]
        if not recorded:
            raise ConcurrencyError(stream_id, expected_version, self.current_version(stream_id))
        recorded.sort(key=lambda e: e.version)
        return recorded

    def read_all(
        self,
        *,
        after: str | None = None,
        limit: int = 1000,
        types: Sequence[str] | None = None,
        stream_id: str | None = None,
    ) -> list[RecordedEvent]:
        if limit < 1:
            raise ValueError("limit must be >= 1")
        tx_id, position = parse_cursor(after)
        filters, params = self.type_filters(types, stream_id)
        sql = READ_ALL.replace("{filters}", filters)
        rows = fetch_prepared(reading(), sql, [tx_id, position, *params, limit])
        return [row_to_event(r) for r in rows]

    def head_cursor(self) -> str:
        with reading().cursor() as cursor:
            cursor.execute(HEAD_CURSOR)
            row = cursor.fetchone()
        return format_cursor(int(row[0] or 0), int(row[1])) if row else ""

    def events_after(self, cursor: str) -> int:
        tx_id, position = parse_cursor(cursor or None)
        with reading().cursor() as db:
            db.execute(COUNT_AFTER, [tx_id, position])
            row = db.fetchone()
        return int(row[0]) if row else 0
