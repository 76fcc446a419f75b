"""PostgreSQL for the tests: a flush empties the log as its owner (see the package)."""

from typing import Any

from django.db.backends.postgresql import base, operations

from tracker.test_databases import APPEND_ONLY_TABLES


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(
        self,
        style: Any,
        tables: Any,
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        statements = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        guarded = [self.quote_name(t) for t in APPEND_ONLY_TABLES if t in tables]
        if not statements or not guarded:
            return statements
        return [
            *(f"ALTER TABLE {t} DISABLE TRIGGER USER" for t in guarded),
            *statements,
            *(f"ALTER TABLE {t} ENABLE TRIGGER USER" for t in guarded),
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
