"""Writing many read-model rows fast: COPY on PostgreSQL, bulk_create elsewhere.

Used by rebuilds and projector batches. The rows are formatted as COPY text here, in
large chunks: psycopg's per-value adaptation was most of a rebuild's time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import connection, models

BATCH = 2000
CHUNK_BYTES = 1 << 20
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: Any) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (dict, list)):
        value = json.dumps(value, separators=(",", ":"))
    elif isinstance(value, (date, datetime)):
        value = value.isoformat()
    return str(value).translate(_ESCAPES)


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
