"""The event store on SQLite: one writer, so position order is commit order."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.db import connection
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

# {rows}: one "(%s, ...)" per event.
INSERT_BATCH = (
    "INSERT INTO events_event (stream_id, version, event_id, type, schema_version, data, "
    f"metadata, recorded_at, occurred_on, chain_hash) VALUES {{rows}} RETURNING {COLUMNS}"
)
INSERT_ROW = "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
READ_ALL = (
    f"SELECT {COLUMNS} FROM events_event WHERE position > %s{{filters}} ORDER BY position LIMIT %s"
)
HEAD_CURSOR = "SELECT 0, position FROM events_event ORDER BY position DESC LIMIT 1"
COUNT_AFTER = "SELECT count(*) FROM events_event WHERE position > %s"


class SQLiteStore(EventStore):
    def db_uuid(self, value: uuid.UUID) -> Any:
        return value.hex

    def insert(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        ids: Sequence[uuid.UUID],
        expected_version: int | None,
    ) -> list[RecordedEvent]:
        bump_sql, bump_params = bump(stream_id, len(events), expected_version)
        with connection.cursor() as cursor:
            cursor.execute(bump_sql, bump_params)
            row = cursor.fetchone()
            if row is None:
                raise ConcurrencyError(stream_id, expected_version, self.current_version(stream_id))
            base = int(row[0])
            rows: list[list[Any]] = []
            for values in self.value_rows(events, ids, timezone.now()):
                idx, event_id, type_, schema_version, data, metadata, recorded_at, on = values
                rows.append(
                    [
                        stream_id,
                        base + idx,
                        event_id,
                        type_,
                        schema_version,
                        data,
                        metadata,
                        recorded_at.isoformat(),
                        on.isoformat() if on else None,
                    ]
                )
            # PostgreSQL's append statement hashes the chain (chain.PG_CHAIN_CTE); SQLite's here.
            hashes = chain.sqlite_hashes(cursor, stream_id, base, rows)
            params = [p for r, h in zip(rows, hashes, strict=True) for p in (*r, h)]
            cursor.execute(INSERT_BATCH.format(rows=", ".join([INSERT_ROW] * len(events))), params)
            recorded = [row_to_event(r) for r in cursor.fetchall()]
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
        _, position = parse_cursor(after)
        filters, params = self.type_filters(types, stream_id)
        sql = READ_ALL.format(filters=filters)
        return self.fetch_events(sql, [position, *params, limit], db=reading())

    def head_cursor(self) -> str:
        with reading().cursor() as cursor:
            cursor.execute(HEAD_CURSOR)
            row = cursor.fetchone()
        return format_cursor(int(row[0] or 0), int(row[1])) if row else ""

    def events_after(self, cursor: str) -> int:
        _, position = parse_cursor(cursor or None)
        with reading().cursor() as db:
            db.execute(COUNT_AFTER, [position])
            row = db.fetchone()
        return int(row[0]) if row else 0
