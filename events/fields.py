"""Model fields of the events app's tables (the projections' JSON documents and codes)."""

from typing import Any

import orjson
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper


class JsonDocument(models.JSONField):
    """A JSON value kept as PostgreSQL `json` (its text, checked) instead of `jsonb`.

    For documents written whole and read whole, never searched inside: jsonb would parse
    every write into its binary form (the largest share of the server's time in storing
    a rebuild's incident rows) and print every read back as text. Elsewhere it is an
    ordinary JSONField. The connection hands `json` values over as text (apps.py, as
    Django does for jsonb) and they are decoded here.
    """

    def db_type(self, connection: BaseDatabaseWrapper) -> str | None:
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def from_db_value(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        if isinstance(value, str) and connection.vendor == "postgresql":
            return orjson.loads(value)
        return super().from_db_value(value, expression, connection)


class CodeField(models.CharField):
    """Text compared byte by byte (`COLLATE "C"`) on PostgreSQL: codes, names and ids that
    are filtered and indexed, never sorted for a reader's language. On a UTF-8 database
    byte order is code-point order, as C.UTF-8 sorts; the C collation lets the server
    compare with memcmp and sort on abbreviated keys, which a rebuild's index builds
    (one per indexed column, over every incident) take a quarter less time on. Not for
    text matched without regard to case beyond ASCII: upper() in "C" knows only A-Z."""

    def db_parameters(self, connection: BaseDatabaseWrapper) -> dict[str, Any]:
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters
