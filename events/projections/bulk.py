"""Writing many read-model rows fast: COPY on PostgreSQL, bulk_create elsewhere.

Used by rebuilds, which write every row of a projection at once. JSON columns take the
already JSON-shaped values the folds produce.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import connection, models

BATCH = 2000


def _copy_value(field: models.Field[Any, Any], value: Any) -> Any:
    if isinstance(field, models.JSONField):
        return json.dumps(value, separators=(",", ":"))
    return value


def write_rows(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> None:
    """Insert rows (dicts of column values, by field attname) into the model's table."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create((model(**row) for row in rows), batch_size=BATCH)
        return
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([_copy_value(f, row.get(f.attname)) for f in fields])
