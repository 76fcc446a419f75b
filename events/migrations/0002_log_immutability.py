"""Make the log immutable in the database itself, whatever client talks to it.

PostgreSQL: UPDATE, DELETE and TRUNCATE of events_event raise. SQLite has no TRUNCATE;
UPDATE and DELETE abort. No session setting opens the log (the escape hatch this migration
once had is gone, see 0011); the test suite resets it as the tables' owner.
"""

from typing import Any

from django.db import migrations

PG_INSTALL = r"""
CREATE OR REPLACE FUNCTION events_log_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'events_event is append-only: %% is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

ALTER TABLE events_event ALTER COLUMN tx_id SET NOT NULL;

CREATE TRIGGER events_event_no_update BEFORE UPDATE ON events_event
    FOR EACH ROW EXECUTE FUNCTION events_log_is_append_only();
CREATE TRIGGER events_event_no_delete BEFORE DELETE ON events_event
    FOR EACH ROW EXECUTE FUNCTION events_log_is_append_only();
CREATE TRIGGER events_event_no_truncate BEFORE TRUNCATE ON events_event
    FOR EACH STATEMENT EXECUTE FUNCTION events_log_is_append_only();
"""

PG_REMOVE = r"""
DROP TRIGGER IF EXISTS events_event_no_update ON events_event;
DROP TRIGGER IF EXISTS events_event_no_delete ON events_event;
DROP TRIGGER IF EXISTS events_event_no_truncate ON events_event;
DROP FUNCTION IF EXISTS events_log_is_append_only();
ALTER TABLE events_event ALTER COLUMN tx_id DROP NOT NULL;
"""

SQLITE_INSTALL = [
    """CREATE TRIGGER events_event_no_update BEFORE UPDATE ON events_event
       BEGIN SELECT RAISE(ABORT, 'events_event is append-only: UPDATE is not allowed'); END""",
    """CREATE TRIGGER events_event_no_delete BEFORE DELETE ON events_event
       BEGIN SELECT RAISE(ABORT, 'events_event is append-only: DELETE is not allowed'); END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS events_event_no_update",
    "DROP TRIGGER IF EXISTS events_event_no_delete",
]


def install(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_INSTALL)
    elif vendor == "sqlite":
        for statement in SQLITE_INSTALL:
            schema_editor.execute(statement)
    else:
        raise RuntimeError(f"no immutability triggers for database vendor {vendor!r}")


def remove(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_REMOVE)
    else:
        for statement in SQLITE_REMOVE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
