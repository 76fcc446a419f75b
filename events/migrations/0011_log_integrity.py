"""Tamper evidence and no escape hatch (issue 14).

- Every event gets `chain_hash` (events.integrity.chain): on PostgreSQL the append
  statement computes it, a BEFORE INSERT trigger for rows inserted any other way; on
  SQLite the store does. Rows already stored are hashed here.
- Seals and log checks are append-only like the log.
- The log's guard honours no session setting and no SQLite function any more (0002's
  test-only purge switch is gone): the test suite resets the log as its owner
  (tracker.test_databases).
- Whoever holds UPDATE, DELETE or TRUNCATE on an append-only table besides its owner
  (default privileges granted them to the runtime role) loses them.
"""

import uuid
from typing import Any

from django.db import migrations, models

from events.integrity.chain import PG_CHAIN_FUNCTION, PG_PREVIOUS_FUNCTION, chain_hashes

APPEND_ONLY = ("events_event", "events_seal", "events_log_check")
GUARDED = ("events_seal", "events_log_check")  # events_event has its triggers since 0002

PG_GUARD_FUNCTION = r"""
CREATE OR REPLACE FUNCTION events_log_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '%% is append-only: %% is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

PG_GUARD_TRIGGERS = """
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
    FOR EACH ROW EXECUTE FUNCTION events_log_is_append_only();
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION events_log_is_append_only();
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION events_log_is_append_only();
"""

PG_BACKFILL = r"""
ALTER TABLE events_event DISABLE TRIGGER events_event_no_update;
DO $$
DECLARE row_position bigint;
BEGIN
    FOR row_position IN SELECT position FROM events_event ORDER BY stream_id, version LOOP
        UPDATE events_event e SET chain_hash = sha256(COALESCE(
            (SELECT p.chain_hash FROM events_event p
             WHERE p.stream_id = e.stream_id AND p.version = e.version - 1),
            '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
            || convert_to(jsonb_build_array(e.stream_id, e.version, e.event_id, e.type,
               e.schema_version, e.data, e.metadata, e.occurred_on)::text, 'UTF8'))
        WHERE e.position = row_position;
    END LOOP;
END $$;
ALTER TABLE events_event ENABLE TRIGGER events_event_no_update;
"""

PG_REVOKE = """
DO $$
DECLARE grant_row record;
BEGIN
    FOR grant_row IN
        SELECT DISTINCT table_name, grantee FROM information_schema.role_table_grants
        WHERE table_schema = current_schema() AND table_name = ANY({tables})
          AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
          AND grantee <> current_user
    LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %%I FROM %%I',
                       grant_row.table_name, grant_row.grantee);
    END LOOP;
END $$;
"""

SQLITE_GUARDS = (
    """CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
       BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE is not allowed'); END""",
    """CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
       BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE is not allowed'); END""",
)


def _postgresql(schema_editor: Any) -> None:
    schema_editor.execute(PG_GUARD_FUNCTION)
    schema_editor.execute(PG_PREVIOUS_FUNCTION)
    schema_editor.execute(PG_CHAIN_FUNCTION.replace("%", "%%"))  # no parameters here
    schema_editor.execute(
        "CREATE TRIGGER events_event_chain BEFORE INSERT ON events_event "
        "FOR EACH ROW EXECUTE FUNCTION events_event_chain_hash()"
    )
    schema_editor.execute(PG_BACKFILL)
    for table in GUARDED:
        schema_editor.execute(PG_GUARD_TRIGGERS.format(table=table))
    array = "ARRAY[" + ", ".join(f"'{t}'" for t in APPEND_ONLY) + "]::text[]"
    schema_editor.execute(PG_REVOKE.replace("{tables}", array))


def _sqlite(schema_editor: Any) -> None:
    cursor = schema_editor.connection.cursor()
    cursor.execute("DROP TRIGGER IF EXISTS events_event_no_delete")
    cursor.execute("DROP TRIGGER IF EXISTS events_event_no_update")
    cursor.execute(
        "SELECT position, stream_id, version, event_id, type, schema_version, data, metadata, "
        "occurred_on FROM events_event ORDER BY stream_id, version"
    )
    previous: dict[str, bytes] = {}
    for position, stream_id, version, event_id, type_, schema, data, metadata, day in list(
        cursor.fetchall()
    ):
        row = {
            "stream_id": stream_id,
            "version": version,
            "event_id": str(uuid.UUID(str(event_id))),
            "type": type_,
            "schema_version": schema,
            "data": data,
            "metadata": metadata,
            "occurred_on": day,
        }
        (digest,) = chain_hashes(previous.get(stream_id), [row])
        previous[stream_id] = digest
        cursor.execute(
            "UPDATE events_event SET chain_hash = %s WHERE position = %s", [digest, position]
        )
    for table in ("events_event", *GUARDED):
        for statement in SQLITE_GUARDS:
            cursor.execute(statement.format(table=table))


def install(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _postgresql(schema_editor)
    elif vendor == "sqlite":
        _sqlite(schema_editor)
    else:
        raise RuntimeError(f"no integrity triggers for database vendor {vendor!r}")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0010_incident_verbose_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="LogCheck",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("checked_at", models.DateTimeField()),
                ("ok", models.BooleanField()),
                ("events_checked", models.PositiveBigIntegerField()),
                ("seals_checked", models.PositiveBigIntegerField()),
                ("first_bad_position", models.BigIntegerField(blank=True, null=True)),
                ("message", models.TextField(blank=True)),
            ],
            options={
                "db_table": "events_log_check",
                "ordering": ["-checked_at"],
            },
        ),
        migrations.CreateModel(
            name="Seal",
            fields=[
                ("number", models.PositiveBigIntegerField(primary_key=True, serialize=False)),
                (
                    "after_tx_id",
                    models.BigIntegerField(help_text="read cursor the seal starts after"),
                ),
                ("after_position", models.BigIntegerField()),
                ("tx_id", models.BigIntegerField(help_text="read cursor of the last event sealed")),
                ("position", models.BigIntegerField()),
                ("event_count", models.PositiveIntegerField()),
                ("root", models.BinaryField(max_length=32)),
                ("sealed_at", models.DateTimeField()),
            ],
            options={
                "db_table": "events_seal",
                "ordering": ["number"],
            },
        ),
        migrations.AddField(
            model_name="event",
            name="chain_hash",
            field=models.BinaryField(max_length=32, null=True),
        ),
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
