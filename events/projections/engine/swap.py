"""Fresh projection tables on PostgreSQL, built out of readers' sight and swapped in.

The fresh tables live in a schema of their own (`rebuild_<projection>`), created by
Django's schema editor from the models, so they have exactly the columns, constraints and
index names the migrations give the live ones. While they are filled, this connection's
search_path puts that schema first: the projector's ordinary ORM code writes into them,
while every other connection still reads the live tables. The swap moves the live tables
out and the fresh ones in (`ALTER TABLE ... SET SCHEMA`) in the caller's transaction:
readers wait a moment on the lock and then see the complete new tables.

The fresh tables are created without their secondary indexes and foreign keys (what
Django's schema editor defers to the end of a migration): `index()` builds them once the
rows are in, which costs a fraction of updating every index row by row during the COPY.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, models

from events.projections.engine.bulk import INDEX_MEMORY


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


class FreshTables:
    def __init__(
        self,
        schema: str,
        tables: Sequence[type[models.Model]],
        live: dict[str, str],
        deferred: Sequence[object] = (),
    ):
        self.schema, self.tables, self.live = schema, tables, live
        self.deferred = list(deferred)
        self.analyzed: set[str] = set()
        self._single_table = [
            statement
            for statement in self.deferred
            if not isinstance(statement, _KeyAttached)
            and sum(_references(statement, m) for m in tables) == 1
        ]

    def ready(self, filled: Iterable[type[models.Model]]) -> list[str]:
        """What can run once these tables are `filled`, each statement handed out once: the
        left-out statements whose tables are all filled (a build can index a table while
        it fills the next; a foreign key waits for both), then ANALYZE of each newly filled
        table. Statistics move with a table into the live schema, so the swap's short
        lock never waits for them, and the planner is not left guessing afterwards."""
        done = {model._meta.db_table for model in filled}
        ready: list[object] = []
        waiting: list[object] = []
        for statement in self.deferred:
            tables = {m._meta.db_table for m in self.tables if _references(statement, m)}
            (ready if tables <= done else waiting).append(statement)
        self.deferred = waiting
        analyze = [
            f"ANALYZE {_quoted(self.schema)}.{_quoted(m._meta.db_table)}"
            for m in self.tables
            if m._meta.db_table in done and m._meta.db_table not in self.analyzed
        ]
        self.analyzed |= done
        return [str(statement) for statement in ready] + analyze

    def ready_in_stages(self, filled: Iterable[type[models.Model]]) -> list[list[str]]:
        """`ready(filled)` in two stages: first the index builds of single tables, which
        can run side by side, then what needs them (keys attached to their indexes,
        foreign keys) and ANALYZE (which waits for a table's index builds anyway)."""
        statements = self.ready(filled)
        single = set(map(str, self._single_table))
        first = [s for s in statements if s in single]
        return [first, [s for s in statements if s not in single]]

    def index(self) -> None:
        """Create the indexes and foreign keys left out at creation, and analyze the tables
        not analyzed yet; call once every table is filled."""
        with connection.cursor() as cursor:
            cursor.execute(f"SET maintenance_work_mem = '{INDEX_MEMORY}'")
            for statement in self.ready(self.tables):
                cursor.execute(statement)
            cursor.execute("RESET maintenance_work_mem")

    def swap_in(self) -> None:
        """Move the live tables out and the fresh ones in; call inside a transaction."""
        retired = _quoted(f"{self.schema}_retired")
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {retired} CASCADE")
            cursor.execute(f"CREATE SCHEMA {retired}")
            for model in self.tables:
                table = model._meta.db_table
                home = _quoted(self.live[table])
                cursor.execute(f"ALTER TABLE {home}.{_quoted(table)} SET SCHEMA {retired}")
                cursor.execute(
                    f"ALTER TABLE {_quoted(self.schema)}.{_quoted(table)} SET SCHEMA {home}"
                )
            cursor.execute(f"DROP SCHEMA {retired} CASCADE")


class _KeyStatement(str):
    """A statement about one table's key (what `FreshTables.ready` asks of statements)."""

    table: str

    def __new__(cls, text: str, table: str) -> _KeyStatement:
        statement = super().__new__(cls, text)
        statement.table = table
        return statement

    def references_table(self, table: str) -> bool:
        return table == self.table


class _KeyAttached(_KeyStatement):
    """Makes a unique index built earlier the table's key: after the index builds."""


def _defer_keys(model: type[models.Model]) -> list[_KeyStatement]:
    """Drop the fresh table's primary key and unique constraints (just created, empty) and
    return the statements that add them back. A COPY then only appends rows; the keys are
    built once, from sorted rows, after it, which costs a fraction of inserting every row
    into their indexes one by one (most of the server's time in the COPY otherwise). The
    keys still check what they always do, once, for the whole table: a duplicate fails
    the rebuild. Each is built as a unique index, beside the table's other index builds
    (adding the constraint outright would lock them out), then attached as the key."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = to_regclass(%s) AND contype IN ('p', 'u') ORDER BY contype",
            [_quoted(table)],
        )
        keys = cursor.fetchall()
        built: list[_KeyStatement] = []
        attached: list[_KeyStatement] = []
        for name, definition in keys:
            cursor.execute(f"ALTER TABLE {_quoted(table)} DROP CONSTRAINT {_quoted(name)}")
            add = f"ALTER TABLE {_quoted(table)} ADD CONSTRAINT {_quoted(name)}"
            plain = re.fullmatch(r"(PRIMARY KEY|UNIQUE) (\([^()]*\))", definition)
            if not plain:  # anything fancier is added back as it was
                built.append(_KeyStatement(f"{add} {definition}", table))
                continue
            index = f"CREATE UNIQUE INDEX {_quoted(name)} ON {_quoted(table)} {plain[2]}"
            built.append(_KeyStatement(index, table))
            attached.append(_KeyAttached(f"{add} {plain[1]} USING INDEX {_quoted(name)}", table))
    return built + attached


def _references(statement: object, model: type[models.Model]) -> bool:
    references = getattr(statement, "references_table", None)
    return references is None or bool(references(model._meta.db_table))


def _live_schemas(tables: Sequence[type[models.Model]]) -> dict[str, str]:
    with connection.cursor() as cursor:
        found = {}
        for model in tables:
            table = model._meta.db_table
            cursor.execute(
                "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.oid = to_regclass(%s)",
                [_quoted(table)],
            )
            row = cursor.fetchone()
            if row is None:
                raise RuntimeError(f"table {table} does not exist: run the migrations")
            found[table] = row[0]
    return found


@contextmanager
def fresh_tables(projection: str, tables: Sequence[type[models.Model]]) -> Iterator[FreshTables]:
    """Empty copies of `tables` that this connection's ORM writes into for the block."""
    schema = _quoted(f"rebuild_{projection}")
    live = _live_schemas(tables)
    with connection.cursor() as cursor:
        # One rebuild of a projection at a time; a crashed one's leftovers are dropped.
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [f"rebuild {projection}"])
        cursor.execute("SHOW search_path")
        row = cursor.fetchone()
        original = row[0] if row else "public"
        cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        cursor.execute(f"CREATE SCHEMA {schema}")
        cursor.execute(f"SET search_path TO {schema}, {original}")
    try:
        with connection.schema_editor() as editor:
            for model in reversed(tables):  # parents first, for the foreign keys
                editor.create_model(model)
            deferred, editor.deferred_sql = editor.deferred_sql, []
        keys = [key for model in reversed(tables) for key in _defer_keys(model)]
        built = [key for key in keys if not isinstance(key, _KeyAttached)]
        attached = [key for key in keys if isinstance(key, _KeyAttached)]
        # In this order, one at a time, each statement finds what it needs done.
        yield FreshTables(f"rebuild_{projection}", tables, live, [*built, *attached, *deferred])
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"SET search_path TO {original}")
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [f"rebuild {projection}"])
