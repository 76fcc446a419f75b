"""SQLite for the tests: a flush empties the log around its triggers (see the package)."""

from typing import Any

from django.db.backends.sqlite3 import base, operations

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
        guarded = [t for t in APPEND_ONLY_TABLES if t in tables]
        if not statements or not guarded:
            return statements
        placeholders = ", ".join(["%s"] * len(guarded))
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                f"AND tbl_name IN ({placeholders})",
                guarded,
            )
            triggers = cursor.fetchall()
        return [
            *(f'DROP TRIGGER "{name}"' for name, _ in triggers),
            *statements,
            *(sql for _, sql in triggers),
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
