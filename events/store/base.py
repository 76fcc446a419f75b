"""The store's interface and what both databases share: the event types, cursors,
validation, row decoding and the statements that read the same on either.

Ordering and visibility are each implementation's business (see `postgresql` and
`sqlite`); the contract is `read_all`'s: every committed event once, in an order a cursor
can resume, never skipping one that commits late.

Reads (`read_all`, `read_stream`, `head_cursor`, `events_after`) go to the connection
`reading()` names: a streaming replica inside `replicas.replica_reads()`, where the same
contract holds (events.replicas), else the primary. Appends always go to the primary.
"""

from __future__ import annotations

import json
import uuid
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from events import replicas, upcasting

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


COLUMNS = (
    "position, tx_id, stream_id, version, event_id, type, schema_version, data, metadata, "
    "recorded_at, occurred_on"
)
_ENCODER = DjangoJSONEncoder()


def reading() -> BaseDatabaseWrapper:
    """The connection reads go to: a replica inside `replicas.replica_reads()`, else the
    primary (events.replicas)."""
    return connections[replicas.read_alias()]


def dumps(value: Json) -> str:
    return _ENCODER.encode(value)


def _load_json(value: Any) -> Json:
    if isinstance(value, str):
        loaded: Json = json.loads(value)
        return loaded
    return dict(value)


def row_to_event(row: Sequence[Any]) -> RecordedEvent:
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


def validate_append(
    stream_id: str, events: Sequence[NewEvent], expected_version: int | None
) -> None:
    if not stream_id or len(stream_id) > MAX_STREAM_ID:
        raise ValueError(f"stream_id must be 1..{MAX_STREAM_ID} characters")
    if not events:
        raise ValueError("append needs at least one event")
    if expected_version is not None and expected_version < 0:
        raise ValueError("expected_version must be >= 0 or None")
    ids = [e.event_id for e in events if e.event_id is not None]
    if len(ids) != len(set(ids)):
        raise ValueError("the same event_id twice in one append")


# The stream bump, the lock that orders writers of a stream: create or advance the stream
# row and answer the version the batch starts after (`base`), or nothing when the stream is
# not at the expected version. The same text on both databases.
BUMP_ANY = (
    "INSERT INTO events_stream (stream_id, version) VALUES (%s, %s) "
    "ON CONFLICT (stream_id) DO UPDATE SET version = events_stream.version + "
    "excluded.version RETURNING version - %s AS base"
)
BUMP_NEW = (
    "INSERT INTO events_stream (stream_id, version) VALUES (%s, %s) "
    "ON CONFLICT (stream_id) DO NOTHING RETURNING 0 AS base"
)
BUMP_EXPECTED = (
    "UPDATE events_stream SET version = version + %s "
    "WHERE stream_id = %s AND version = %s RETURNING version - %s AS base"
)
SELECT_BY_EVENT_IDS = (
    f"SELECT {COLUMNS} FROM events_event WHERE event_id IN ({{ids}}) ORDER BY position"
)
SELECT_STREAM = f"SELECT {COLUMNS} FROM events_event WHERE stream_id = %s ORDER BY version"
SELECT_STREAM_UP_TO = (
    f"SELECT {COLUMNS} FROM events_event WHERE stream_id = %s AND version <= %s ORDER BY version"
)
SELECT_STREAM_VERSION = "SELECT version FROM events_stream WHERE stream_id = %s"


def bump(stream_id: str, n: int, expected_version: int | None) -> tuple[str, list[Any]]:
    """The bump statement for `n` new events and its parameters."""
    if expected_version is None:
        return BUMP_ANY, [stream_id, n, n]
    if expected_version == 0:
        return BUMP_NEW, [stream_id, n]
    return BUMP_EXPECTED, [n, stream_id, expected_version, n]


class EventStore(ABC):
    """One database's event store. `events.store` picks one and delegates to it."""

    def append(
        self, stream_id: str, events: Sequence[NewEvent], *, expected_version: int | None
    ) -> list[RecordedEvent]:
        validate_append(stream_id, events, expected_version)
        ids = [e.event_id or uuid.uuid4() for e in events]
        caller_chose_ids = any(e.event_id is not None for e in events)
        try:
            return self.insert_atomically(stream_id, events, ids, expected_version)
        except (ConcurrencyError, IntegrityError):
            # A retry of an append that already landed conflicts on version or event_id:
            # answer with what is stored. Anything else is a genuine conflict or bad data.
            if caller_chose_ids:
                stored = self.stored_events(ids)
                if len(stored) == len(ids):
                    return stored
                if stored:
                    raise ValueError(
                        "some of these event ids are already stored and some are not"
                    ) from None
            raise

    def insert_atomically(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        ids: Sequence[uuid.UUID],
        expected_version: int | None,
    ) -> list[RecordedEvent]:
        """Bump and insert in one transaction (a savepoint inside the caller's)."""
        with transaction.atomic():
            return self.insert(stream_id, events, ids, expected_version)

    @abstractmethod
    def insert(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        ids: Sequence[uuid.UUID],
        expected_version: int | None,
    ) -> list[RecordedEvent]:
        """Bump the stream and insert the events; ConcurrencyError when the bump missed."""

    @abstractmethod
    def db_uuid(self, value: uuid.UUID) -> Any:
        """An event id as this database's driver takes it."""

    def value_rows(
        self, events: Sequence[NewEvent], ids: Sequence[uuid.UUID], now: datetime
    ) -> list[list[Any]]:
        """Each event's values: index in the batch (1..n), event id, type, schema version,
        data, metadata, recorded at, occurred on."""
        return [
            [
                index + 1,
                self.db_uuid(event_id),
                event.type,
                upcasting.current_version(event.type),
                dumps(event.data),
                dumps(event.metadata),
                now,
                event.occurred_on,
            ]
            for index, (event, event_id) in enumerate(zip(events, ids, strict=True))
        ]

    def stored_events(self, ids: Sequence[uuid.UUID]) -> list[RecordedEvent]:
        sql = SELECT_BY_EVENT_IDS.format(ids=", ".join(["%s"] * len(ids)))
        return self.fetch_events(sql, [self.db_uuid(i) for i in ids])

    def fetch_events(
        self, sql: str, params: Sequence[Any], *, db: BaseDatabaseWrapper = connection
    ) -> list[RecordedEvent]:
        """Events by `sql` on `db` (the primary unless a read passes `reading()`)."""
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return [row_to_event(r) for r in cursor.fetchall()]

    def current_version(self, stream_id: str) -> int | None:
        """The stream's version (0: none), or None inside a broken transaction."""
        try:
            with connection.cursor() as cursor:
                cursor.execute(SELECT_STREAM_VERSION, [stream_id])
                row = cursor.fetchone()
        except DatabaseError:  # inside a broken transaction: the message can do without it
            return None
        return int(row[0]) if row else 0

    def stream_version(self, stream_id: str) -> int:
        return self.current_version(stream_id) or 0

    def read_stream(
        self, stream_id: str, *, up_to_version: int | None = None
    ) -> list[RecordedEvent]:
        if up_to_version is None:
            return self.fetch_events(SELECT_STREAM, [stream_id], db=reading())
        return self.fetch_events(SELECT_STREAM_UP_TO, [stream_id, up_to_version], db=reading())

    @staticmethod
    def type_filters(types: Sequence[str] | None, stream_id: str | None) -> tuple[str, list[Any]]:
        """read_all's optional filters as SQL conditions and their parameters."""
        filters = ""
        params: list[Any] = []
        if types:
            filters += " AND type IN (" + ", ".join(["%s"] * len(types)) + ")"
            params += list(types)
        if stream_id:
            filters += " AND stream_id = %s"
            params.append(stream_id)
        return filters, params

    @abstractmethod
    def read_all(
        self,
        *,
        after: str | None = None,
        limit: int = 1000,
        types: Sequence[str] | None = None,
        stream_id: str | None = None,
    ) -> list[RecordedEvent]: ...

    @abstractmethod
    def head_cursor(self) -> str: ...

    @abstractmethod
    def events_after(self, cursor: str) -> int: ...
