"""Writing many read-model rows fast: binary COPY on PostgreSQL, bulk_create elsewhere.

Used by rebuilds and projector batches. Rows are Python values that psycopg formats in
binary, in C, with the column types given up front; JSON values are serialised with orjson
and uuid columns take a str as well as a UUID. COPY's text format was slower at both
ends: Python built and escaped every line, and the server scanned every byte of it again
for escapes before parsing the incident JSON (a third of a rebuild's server time).

`StreamingCopy` (rebuilds on PostgreSQL): a table's rows go to the server, over a
connection of its own, as the caller hands them over while it still reads and folds the
log, so the server stores them while Python works on the next ones. `in_background`: the
statements that follow (index builds), spread over connections while Python goes on.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from typing import Any

import orjson
from django.db import connection, models
from psycopg import Connection as PgConnection
from psycopg import Cursor
from psycopg.adapt import Dumper
from psycopg.copy import Copy
from psycopg.postgres import types as pg_types
from psycopg.pq import Format
from psycopg.types.json import set_json_dumps

BATCH = 2000  # rows per bulk_create (SQLite)
INDEX_MEMORY = "256MB"  # maintenance_work_mem while a rebuild's fresh tables are indexed


class _UuidDumper(Dumper):
    """uuid in binary from a str or a UUID (incident ids are strings in the folds)."""

    format = Format.BINARY
    oid = pg_types.get_oid("uuid")

    def dump(self, obj: Any) -> bytes:
        return uuid_bytes(obj)


def uuid_bytes(value: str | uuid.UUID) -> bytes:
    """A uuid's 16 bytes, from a UUID or its text."""
    if isinstance(value, uuid.UUID):
        return value.bytes
    # The canonical text form, read at a fifth of uuid.UUID()'s cost; anything else
    # (or malformed) goes through uuid.UUID, which says what is wrong with it.
    if len(value) == 36 and value[8] == value[13] == value[18] == value[23] == "-":
        with suppress(ValueError):
            return bytes.fromhex(value.replace("-", ""))
    return uuid.UUID(value).bytes


class _StrOrUuid:
    """Registration key for `_UuidDumper` (COPY picks dumpers by column type, not by class)."""


def _prepare(cursor: Cursor[Any]) -> None:
    """Set this cursor's COPYs up for `copy_rows` (scoped to the cursor)."""
    cursor.adapters.register_dumper(_StrOrUuid, _UuidDumper)
    set_json_dumps(orjson.dumps, cursor)


def column_types(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    """The PostgreSQL type of each field (attname), as COPY's set_types takes them."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    return [str(by_attname[f].db_type(connection)).split("(")[0] for f in fields]


def copy_statement(model: type[models.Model], fields: Sequence[str]) -> str:
    """COPY ... FROM STDIN in binary into the model's table, these fields (attnames) in order."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(str(by_attname[f].column)) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    return f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"


def _insertable(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]


class StreamingCopy:
    """COPY one table's rows over a connection of its own while the caller goes on.

    psycopg formats each row (in C) as it is handed over, while the row's values are
    still in the CPU's caches, and sends the data as its buffer fills; the server stores
    it meanwhile. `finish()` ends the COPY (the rows are stored when it returns); leaving
    the block without it aborts the COPY. `setup`: see `side_connection_setup`.
    `uuids_as_bytes`: the rows carry uuids as `uuid_bytes` gives them.
    """

    def __init__(
        self,
        model: type[models.Model],
        fields: Sequence[str],
        setup: Sequence[str],
        *,
        uuids_as_bytes: bool = False,
    ) -> None:
        self._raw = side_connection(setup)
        self._cursor = self._raw.cursor()
        _prepare(self._cursor)
        self._copying: AbstractContextManager[Copy] | None = self._cursor.copy(
            copy_statement(model, fields)
        )
        self._copy = self._copying.__enter__()  # left in finish() or __exit__
        types = column_types(model, fields)
        if uuids_as_bytes:
            # A binary COPY carries no types: the server reads each field with its column's
            # type. A uuid's binary form is its 16 bytes, which psycopg sends as they are
            # (in C) for a bytea; the caller turns each id into bytes once (uuid_bytes).
            types = ["bytea" if t == "uuid" else t for t in types]
        self._copy.set_types(types)
        self.write_row = self._copy.write_row

    def __enter__(self) -> StreamingCopy:
        return self

    def finish(self) -> None:
        copying, self._copying = self._copying, None
        if copying is not None:
            copying.__exit__(None, None, None)

    def __exit__(self, *exc: Any) -> None:
        try:
            if self._copying is not None:  # left before finish(): the COPY is aborted
                error = exc[1] or RuntimeError("the rebuild stopped before its rows were all in")
                with suppress(BaseException):
                    self._copying.__exit__(type(error), error, None)
        finally:
            self._cursor.close()
            self._raw.close()


@contextmanager
def in_background(
    setup: Sequence[str], stages: Sequence[Sequence[str]], connections: int = 2
) -> Iterator[None]:
    """Run the statements of `stages` while the block runs, over `connections` side
    connections (see `side_connection`), each taking a stage's next statement when it is
    done with one; a stage starts when the one before it has ended. Leaving the block
    waits for them all and raises the first error (unless the block itself raised)."""
    work = [stage for stage in stages if stage]
    count = min(connections, max((len(stage) for stage in work), default=0))
    if not count:
        yield
        return
    queues = [list(reversed(stage)) for stage in work]
    lock = threading.Lock()
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with side_connection(setup) as raw, raw.cursor() as cursor:
                for queue in queues:
                    while True:
                        with lock:
                            statement = queue.pop() if queue and not errors else None
                        if statement is None:
                            break
                        cursor.execute(statement)
                    barrier.wait()
        except threading.BrokenBarrierError:
            pass  # another connection failed: its error is reported
        except BaseException as error:
            with lock:
                errors.append(error)
            barrier.abort()

    threads = [
        threading.Thread(target=run, name="rebuild-index", daemon=True) for _ in range(count)
    ]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        for thread in threads:
            thread.join()
    if errors:
        raise errors[0]


def side_connection_setup() -> list[str]:
    """What makes a new connection write where this one does, as a rebuild needs: the same
    search_path (the fresh tables first), memory for the index builds, and lz4 for the
    large JSON values (TOAST) where the server has it: a fraction of pglz's time; rows
    written later by the projector keep the default, and readers decode both. Read in
    the rebuild's own process (its worker processes get it handed over)."""
    setup = [f"SET maintenance_work_mem = '{INDEX_MEMORY}'"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        lz4 = cursor.fetchone()
        if lz4 and lz4[0]:
            setup.append("SET default_toast_compression = 'lz4'")
        cursor.execute("SHOW search_path")
        row = cursor.fetchone()
        setup.append(f"SET search_path TO {row[0]}")
    return setup


def side_connection(setup: Sequence[str]) -> PgConnection[Any]:
    """A new autocommit connection, set up with `side_connection_setup()`'s statements."""
    raw = connection.get_new_connection(connection.get_connection_params())
    raw.autocommit = True
    with raw.cursor() as cursor:
        for statement in setup:
            cursor.execute(statement)
    return raw


def write_rows(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> None:
    """Insert rows (dicts of column values, by field attname) into the model's table."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create((model(**row) for row in rows), batch_size=BATCH)
        return
    fields = _insertable(model)
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        _prepare(cursor)
        with cursor.copy(copy_statement(model, fields)) as copy:
            copy.set_types(column_types(model, fields))
            for row in rows:
                copy.write_row([row.get(name) for name in fields])
