"""Writing many read-model rows fast: COPY on PostgreSQL, bulk_create elsewhere.

Used by rebuilds and projector batches. The rows are formatted as COPY text here, in
large chunks: psycopg's per-value adaptation was most of a rebuild's time.

`BackgroundCopy` (rebuilds on PostgreSQL): the COPYs run in a thread while the caller
formats the next rows, so the server parses and stores one table (its JSON above all)
while Python works on the next: a rebuild's writing costs the larger of the two, not
their sum.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from datetime import date, datetime
from queue import Queue
from typing import TYPE_CHECKING, Any

import orjson
from django.db import connection, models

if TYPE_CHECKING:
    from events.projections.swap import FreshTables

BATCH = 2000
CHUNK_BYTES = 1 << 20
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def escaped(text: str) -> str:
    """Text with COPY's special characters escaped (four scans beat one translate)."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(_ESCAPES)
    return text


def json_text(value: Any) -> str:
    """A JSON value in COPY's text format. JSON text escapes tabs, newlines and carriage
    returns inside strings itself, so only its backslashes need doubling."""
    return orjson.dumps(value).decode().replace("\\", "\\\\")


def copy_text(value: Any) -> str:
    """One value in COPY's text format."""
    kind = type(value)
    if kind is str:
        return escaped(value)
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is int or kind is float:
        return str(value)
    if kind is dict or kind is list:
        return json_text(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return escaped(str(value))


def copy_line(values: Iterable[Any]) -> str:
    return "\t".join([copy_text(value) for value in values]) + "\n"


def copy_statement(model: type[models.Model], fields: Sequence[str]) -> str:
    """COPY ... FROM STDIN into the model's table, for these fields (attnames) in order."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(str(by_attname[f].column)) for f in fields)
    return f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"


def text_chunks(lines: Iterable[str]) -> Iterator[str]:
    """COPY text lines joined into chunks of about CHUNK_BYTES (few, large writes)."""
    chunk: list[str] = []
    size = 0
    for line in lines:
        chunk.append(line)
        size += len(line)
        if size >= CHUNK_BYTES:
            yield "".join(chunk)
            chunk, size = [], 0
    if chunk:
        yield "".join(chunk)


QUEUED_CHUNKS = 256  # at most ~256 MB of formatted rows wait for the server
INDEX_MEMORY = "256MB"  # maintenance_work_mem while a rebuild's fresh tables are indexed


class BackgroundCopy:
    """COPY formatted rows into tables from a thread, in order, and index each table once
    it is filled (`fresh`: the rebuild's fresh tables, see swap.FreshTables.ready).

    The thread uses this connection, or with `own_connection` a second one with the same
    search_path (two of them let the server store two tables at once). Use as a context
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
            # lz4 compresses the large JSON values (TOAST) in a fraction of pglz's time,
            # which was a third of the server's work on the incident rows; rows written
            # later by the projector keep the default, and readers decode both.
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
        # (COPY statement, chunk of its rows) or (another statement, None)
        self._queue: Queue[tuple[str, str | None] | None] = Queue(maxsize=QUEUED_CHUNKS)
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

    def write(self, statement: str, lines: Iterable[str]) -> None:
        """Queue rows (COPY text lines) for `statement` (see copy_statement)."""
        for chunk in text_chunks(lines):
            if self._error is not None:
                raise self._error
            self._queue.put((statement, chunk))

    def write_table(
        self, model: type[models.Model], fields: Sequence[str], lines: Iterable[str]
    ) -> None:
        """Queue a whole table's rows (lines of these fields), then what indexes it."""
        self.write(copy_statement(model, fields), lines)
        self.filled.append(model)
        if self.fresh is not None:
            self.execute(self.fresh.ready(self.filled))

    def write_rows(self, model: type[models.Model], rows: Iterable[dict[str, Any]]) -> None:
        """`write_table` of rows given as dicts (by field attname, the same keys each)."""
        rows = list(rows)
        fields = list(rows[0]) if rows else []
        self.write_table(model, fields, (copy_line(row.values()) for row in rows))

    def execute(self, statements: Iterable[str]) -> None:
        """Queue statements to run after the rows queued so far."""
        for statement in statements:
            self._queue.put((statement, None))

    def _run(self) -> None:
        statement = None
        try:
            with self._raw.cursor() as cursor, ExitStack() as open_copy:
                while (item := self._queue.get()) is not None:
                    if item[1] is None:
                        open_copy.close()
                        statement = None
                        cursor.execute(item[0])
                        continue
                    if item[0] != statement:
                        open_copy.close()  # the previous table's COPY ends here
                        statement = item[0]
                        copy = open_copy.enter_context(cursor.copy(statement))
                    copy.write(item[1])
        except BaseException as error:  # handed to the caller at the end of the block
            self._error = error
            while self._queue.get() is not None:  # never leave the caller blocked on put
                pass


def write_rows(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> None:
    """Insert rows (dicts of column values, by field attname) into the model's table."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create((model(**row) for row in rows), batch_size=BATCH)
        return
    concrete = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    fields = [f.attname for f in concrete]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in concrete)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        lines: list[str] = []
        size = 0
        for row in rows:
            line = "\t".join([copy_text(row.get(name)) for name in fields]) + "\n"
            lines.append(line)
            size += len(line)
            if size >= CHUNK_BYTES:
                copy.write("".join(lines))
                lines, size = [], 0
        if lines:
            copy.write("".join(lines))
