"""Reads from PostgreSQL streaming replicas (`DATABASE_REPLICA_URLS`), writes to the primary.

Nothing is read from a replica unless the caller asks: a read API request (tracker's
middleware) or an export opens `replica_reads()`, which picks the next replica round robin
and holds it for the whole scope, so one answer comes from one replica and a cursor walk
within it sees one history. Everything else (services, the projector, the admin, tasks)
reads and writes on the primary, where it sees its own writes. `ReplicaRouter` answers the
ORM; the store's raw SQL asks `read_alias()` (events.store.base.reading).

Why the log cursor stays gap-free on a hot standby: a standby's snapshot counts as running
every xid the primary had handed out and not yet ended in the WAL replayed so far (any xid
below the newest one it has seen, until it replays that xid's end), and a transaction's
rows become visible when its commit is replayed. So below the snapshot's xmin every
transaction has ended there too, and none can add a row behind the cursor; the store reads
up to xmin on a standby, whose snapshot lists no in-flight xids (events.store.postgresql).
tests/replicas/test_standby_cursor.py proves it on a real standby under eight writers.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

_reading_from: ContextVar[str | None] = ContextVar("tracker_replica_alias", default=None)
_turns = itertools.count()


def replica_aliases() -> list[str]:
    """The database aliases of the configured replicas (settings.TRACKER_REPLICA_DATABASES)."""
    return list(getattr(settings, "TRACKER_REPLICA_DATABASES", []))


def read_alias() -> str:
    """Where a read in this scope goes: the scope's replica, else the primary. Inside a
    transaction on the primary it is the primary: what is read there may be written back."""
    alias = _reading_from.get()
    if alias is None or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return alias


@contextmanager
def reading_from(alias: str) -> Iterator[str]:
    """Send this scope's reads to `alias` (a replica, or the primary itself)."""
    token = _reading_from.set(None if alias == DEFAULT_DB_ALIAS else alias)
    try:
        yield alias
    finally:
        _reading_from.reset(token)


def choose_replica() -> ReplicaLag | None:
    """The next replica that answers, round robin, with its lag; None when none is
    configured or none answers (a replica that is down costs one attempt, not the answer)."""
    aliases = replica_aliases()
    start = next(_turns)
    for step in range(len(aliases)):
        alias = aliases[(start + step) % len(aliases)]
        try:
            return lag_of(alias)
        except DatabaseError:
            connections[alias].close()  # a fresh connection next time
    return None


@contextmanager
def replica_reads() -> Iterator[ReplicaLag | None]:
    """Reads in this scope from the next replica that answers (the primary when none
    does); yields its lag as measured on entry, None on the primary."""
    lag = choose_replica()
    with reading_from(lag.alias if lag else DEFAULT_DB_ALIAS):
        yield lag


class ReplicaRouter:
    """Django's database router: reads follow the scope, writes and migrations go to the
    primary (a replica is read-only, and an object read from one is saved on the primary)."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        return read_alias()

    def db_for_write(self, model: type, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # every replica holds the primary's rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


@dataclass(frozen=True)
class ReplicaLag:
    alias: str
    in_recovery: bool  # False: the alias is not a standby (or not PostgreSQL)
    streaming: bool  # its WAL receiver is connected to the primary
    seconds: float | None  # None: unknown (a standby that has replayed nothing yet)

    def header(self) -> str:
        return "unknown" if self.seconds is None else f"{self.seconds:.3f}"

    def as_json(self) -> dict[str, Any]:
        return {
            "alias": self.alias,
            "in_recovery": self.in_recovery,
            "streaming": self.streaming,
            "lag_seconds": None if self.seconds is None else round(self.seconds, 3),
        }


# Caught up (received WAL all replayed while streaming): no lag, however long ago the last
# transaction was. Otherwise the age of the newest replayed commit: what the replica's
# answers may lack is at most that old. Only the WAL receiver's pid is shown to a role
# without pg_read_all_stats, so its presence is what "streaming" means here.
_LAG_SQL = """SELECT pg_is_in_recovery(),
    EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE pid IS NOT NULL),
    pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn(),
    EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8"""


def lag_of(alias: str) -> ReplicaLag:
    """How far behind the primary the database `alias` is, measured on it (one query)."""
    db = connections[alias]
    if db.vendor != "postgresql":
        return ReplicaLag(alias, in_recovery=False, streaming=False, seconds=0.0)
    with db.cursor() as cursor:
        cursor.execute(_LAG_SQL)
        in_recovery, streaming, replayed_all, since_replay = cursor.fetchone()
    if not in_recovery:
        return ReplicaLag(alias, in_recovery=False, streaming=False, seconds=0.0)
    if streaming and replayed_all:
        seconds: float | None = 0.0
    else:
        seconds = None if since_replay is None else max(0.0, float(since_replay))
    return ReplicaLag(alias, in_recovery=True, streaming=bool(streaming), seconds=seconds)


def replica_head(alias: str) -> str:
    """The log's head cursor as read on `alias`."""
    from events import store

    with reading_from(alias):
        return store.head_cursor()


def replica_report(alias: str) -> dict[str, Any]:
    """A replica's lag in seconds and in events: how many events the primary's log holds
    beyond the replica's head (for /healthz and `projections status`). Down: an error."""
    from events import store

    try:
        lag = lag_of(alias)
        head = replica_head(alias)
    except DatabaseError as error:
        connections[alias].close()
        return {"alias": alias, "error": str(error).strip().splitlines()[0]}
    return {**lag.as_json(), "head": head, "events_behind": store.events_after(head)}
