"""Writing many read-model rows fast: binary COPY on PostgreSQL, bulk_create elsewhere.

Used by rebuilds and projector batches. Rows are Python values that psycopg formats in
binary, in C, with the column types given up front; JSON values are serialised with orjson
and uuid columns take a str as well as a UUID. COPY's text format was slower at both
ends: Python built and escaped every line, and the server scanned every byte of it again
for escapes before parsing the incident JSON (a third of a rebuild's server time).

`BackgroundCopy` (rebuilds on PostgreSQL): the COPYs run in a thread on a connection of
their own while the caller folds the log and hands over rows, so the server stores and
indexes one table while Python works on the next rows: a rebuild costs about the larger
of the two, not their sum.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from queue import Queue
from typing import TYPE_CHECKING, Any

import orjson
from django.db import connection, models
from psycopg import Cursor
from psycopg.adapt import Dumper
from psycopg.postgres import types as pg_types
from psycopg.pq import Format
from psycopg.types.json import set_json_dumps

if TYPE_CHECKING:
    from events.projections.swap import FreshTables

BATCH = 2000  # rows per bulk_create (SQLite) and per batch handed to a BackgroundCopy
QUEUED_BATCHES = 128  # batches that may wait for the server before the caller blocks
INDEX_MEMORY = "256MB"  # maintenance_work_mem while a rebuild's fresh tables are indexed

Row = Sequence[Any]


class _UuidDumper(Dumper):
    """uuid in binary from a str or a UUID (incident ids are strings in the folds)."""

    format = Format.BINARY
    oid = pg_types.get_oid("uuid")

    def dump(self, obj: Any) -> bytes:
        return obj.bytes if type(obj) is uuid.UUID else uuid.UUID(obj).bytes


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


class TableRows:
    """Rows for one table of a BackgroundCopy, handed over in batches. Use as a context
    manager (or call `close`): closing marks the table filled, and its indexes follow."""

    def __init__(self, writer: BackgroundCopy, model: type[models.Model], fields: Sequence[str]):
        self._writer, self._model = writer, model
        self._statement, self._types = copy_statement(model, fields), column_types(model, fields)
        self._batch: list[Row] = []

    def append(self, row: Row) -> None:
        self._batch.append(row)
        if len(self._batch) >= BATCH:
            self._flush()

    def extend(self, rows: Iterable[Row]) -> None:
        for row in rows:
            self.append(row)

    def _flush(self) -> None:
        if self._batch:
            self._writer._put((self._statement, self._types, self._batch))
            self._batch = []

    def close(self) -> None:
        self._flush()
        self._writer._filled(self._model)

    def __enter__(self) -> TableRows:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.close()


# What the thread is handed: (COPY statement, column types, rows) or (statement, None, None).
_Item = tuple[str, list[str] | None, list[Row] | None]


class BackgroundCopy:
    """COPY rows into tables from a thread, in order, and index each table once it is
    filled (`fresh`: the rebuild's fresh tables, see swap.FreshTables.ready).

    The thread uses this connection, or with `own_connection` a second one with the same
    search_path (several let the server store several tables at once). Use as a context
    manager; inside the block the caller must not use a connection the thread uses (so
    create every BackgroundCopy of a build before entering the first).
    Leaving the block waits for the last row and raises what the thread raised.
    """

    def __init__(self, fresh: FreshTables | None = None, *, own_connection: bool = False) -> None:
        connection.ensure_connection()
        self.fresh, self.filled = fresh, list[type[models.Model]]()
        self._raw, self._own = connection.connection, own_connection
        setup = [f"SET maintenance_work_mem = '{INDEX_MEMORY}'"]
        with connection.cursor() as cursor:
            # lz4 compresses the large JSON values (TOAST) in a fraction of pglz's time;
            # rows written later by the projector keep the default, and readers decode both.
            cursor.execute(
                "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                "WHERE name = 'default_toast_compression'"
            )
            lz4 = cursor.fetchone()
            if lz4 and lz4[0]:
                setup.append("SET default_toast_compression = 'lz4'")
            if own_connection:
                cursor.execute("SHOW search_path")
                row = cursor.fetchone()
                setup.append(f"SET search_path TO {row[0]}")
        if own_connection:
            self._raw = connection.get_new_connection(connection.get_connection_params())
            self._raw.autocommit = True
        self._queue: Queue[_Item | None] = Queue(maxsize=QUEUED_BATCHES)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="rebuild-copy", daemon=True)
        self.execute(setup)

    def __enter__(self) -> BackgroundCopy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.execute(["RESET maintenance_work_mem", "RESET default_toast_compression"])
        self._queue.put(None)
        self._thread.join()
        if self._own:
            self._raw.close()
        if self._error is not None and exc[0] is None:
            raise self._error

    def table(self, model: type[models.Model], fields: Sequence[str]) -> TableRows:
        """A sink for the model's rows (tuples of these fields' values, in this order)."""
        return TableRows(self, model, fields)

    def write_table(
        self, model: type[models.Model], fields: Sequence[str], rows: Iterable[Row]
    ) -> None:
        """Queue a whole table's rows (tuples of these fields), then what indexes it."""
        with self.table(model, fields) as sink:
            sink.extend(rows)

    def write_rows(self, model: type[models.Model], rows: Iterable[dict[str, Any]]) -> None:
        """`write_table` of rows given as dicts (by field attname, the same keys each)."""
        rows = list(rows)
        fields = list(rows[0]) if rows else _insertable(model)
        self.write_table(model, fields, (tuple(row.values()) for row in rows))

    def execute(self, statements: Iterable[str]) -> None:
        """Queue statements to run after the rows queued so far."""
        for statement in statements:
            self._put((statement, None, None))

    def _filled(self, model: type[models.Model]) -> None:
        self.filled.append(model)
        if self.fresh is not None:
            self.execute(self.fresh.ready(self.filled))

    def _put(self, item: _Item) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(item)

    def _run(self) -> None:
        statement = None
        try:
            with self._raw.cursor() as cursor, ExitStack() as open_copy:
                _prepare(cursor)
                while (item := self._queue.get()) is not None:
                    text, types, rows = item
                    if rows is None:
                        open_copy.close()
                        statement = None
                        cursor.execute(text)
                        continue
                    if text != statement:
                        open_copy.close()  # the previous table's COPY ends here
                        statement = text
                        copy = open_copy.enter_context(cursor.copy(text))
                        copy.set_types(types or [])
                    for row in rows:
                        copy.write_row(row)
        except BaseException as error:  # handed to the caller at the end of the block
            self._error = error
            while self._queue.get() is not None:  # never leave the caller blocked on put
                pass


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
