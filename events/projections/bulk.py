"""Writing many read-model rows fast: binary COPY on PostgreSQL, bulk_create elsewhere.

Used by rebuilds and projector batches. Rows are Python values that psycopg formats in
binary, in C, with the column types given up front; JSON values are serialised with orjson
and uuid columns take a str as well as a UUID. COPY's text format was slower at both
ends: Python built and escaped every line, and the server scanned every byte of it again
for escapes before parsing the incident JSON (a third of a rebuild's server time).

`StreamingCopy` (rebuilds on PostgreSQL): a table's rows go to the server, over a
connection of its own, as the caller hands them over while it still reads and folds the
log, so the server stores them while Python works on the next ones.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, suppress
from typing import TYPE_CHECKING, Any

import orjson
from django.db import connection, models
from psycopg import Connection as PgConnection
from psycopg import Cursor
from psycopg.adapt import Dumper
from psycopg.copy import Copy, QueuedLibpqWriter
from psycopg.postgres import types as pg_types
from psycopg.pq import Format
from psycopg.types.json import set_json_dumps

if TYPE_CHECKING:
    from events.projections.swap import FreshTables

BATCH = 2000  # rows per bulk_create (SQLite)
INDEX_MEMORY = "256MB"  # maintenance_work_mem while a rebuild's fresh tables are indexed


class _UuidDumper(Dumper):
    """uuid in binary from a str or a UUID (incident ids are strings in the folds)."""

    format = Format.BINARY
    oid = pg_types.get_oid("uuid")

    def dump(self, obj: Any) -> bytes:
        if type(obj) is uuid.UUID:
            return obj.bytes
        # The canonical text form, read at a fifth of uuid.UUID()'s cost; anything else
        # (or malformed) goes through uuid.UUID, which says what is wrong with it.
        if len(obj) == 36 and obj[8] == obj[13] == obj[18] == obj[23] == "-":
            with suppress(ValueError):
                return bytes.fromhex(obj.replace("-", ""))
        return uuid.UUID(obj).bytes


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

    psycopg formats each row (in C) in the caller's thread as it is handed over, while
    the row's values are still in the CPU's caches; a psycopg writer thread sends the
    data, and the server stores it meanwhile. `finish()` ends the COPY and starts what
    follows it in the rebuild (the table's indexes and ANALYZE, swap.FreshTables.ready)
    in a thread; leaving the block waits for that and closes the connection. Leaving it
    on an error aborts the COPY instead.
    """

    def __init__(
        self, fresh: FreshTables | None, model: type[models.Model], fields: Sequence[str]
    ) -> None:
        self.fresh, self.model = fresh, model
        self._raw = _side_connection()
        self._cursor = self._raw.cursor()
        _prepare(self._cursor)
        self._copying: AbstractContextManager[Copy] | None = self._cursor.copy(
            copy_statement(model, fields), writer=QueuedLibpqWriter(self._cursor)
        )
        self._copy = self._copying.__enter__()  # left in finish() or __exit__
        self._copy.set_types(column_types(model, fields))
        self.write_row = self._copy.write_row
        self._follow_up: threading.Thread | None = None
        self._error: BaseException | None = None

    def __enter__(self) -> StreamingCopy:
        return self

    def finish(self) -> None:
        """End the COPY (the rows are stored when this returns), then index in a thread."""
        copying, self._copying = self._copying, None
        if copying is not None:
            copying.__exit__(None, None, None)
        statements = self.fresh.ready([self.model]) if self.fresh is not None else []
        self._follow_up = threading.Thread(
            target=self._run, args=(statements,), name="rebuild-index", daemon=True
        )
        self._follow_up.start()

    def _run(self, statements: list[str]) -> None:
        try:
            for statement in statements:
                self._cursor.execute(statement)
        except BaseException as error:  # handed to the caller when it leaves the block
            self._error = error

    def __exit__(self, *exc: Any) -> None:
        try:
            if self._copying is not None:  # left before finish(): the COPY is aborted
                error = exc[1] or RuntimeError("the rebuild stopped before its rows were all in")
                with suppress(BaseException):
                    self._copying.__exit__(type(error), error, None)
            if self._follow_up is not None:
                self._follow_up.join()
        finally:
            self._cursor.close()
            self._raw.close()
        if self._error is not None and exc[0] is None:
            raise self._error


def _side_connection() -> PgConnection[Any]:
    """A new autocommit connection set up as this one is for a rebuild: the same
    search_path (the fresh tables first), memory for the index builds, and lz4 for the
    large JSON values (TOAST) where the server has it: a fraction of pglz's time; rows
    written later by the projector keep the default, and readers decode both."""
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
