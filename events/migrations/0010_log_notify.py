"""PostgreSQL: every statement that appends to the log sends NOTIFY tracker_log.

The notification goes out when the appending transaction commits (never for one that
rolls back), and identical notifications of one transaction fold into one, so a batch
append wakes listeners once. Live readers (events.live) wake on it instead of polling.
SQLite has no NOTIFY: its readers poll.
"""

from typing import Any

from django.db import migrations

PG_INSTALL = r"""
CREATE OR REPLACE FUNCTION events_log_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('tracker_log', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER events_event_notify AFTER INSERT ON events_event
    FOR EACH STATEMENT EXECUTE FUNCTION events_log_notify();
"""

PG_REMOVE = r"""
DROP TRIGGER IF EXISTS events_event_notify ON events_event;
DROP FUNCTION IF EXISTS events_log_notify();
"""


def install(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_INSTALL)


def remove(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_REMOVE)


class Migration(migrations.Migration):
    dependencies = [("events", "0009_place_names_in_database_collation")]

    operations = [migrations.RunPython(install, remove)]
