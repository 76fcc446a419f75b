"""Least privilege (issue 14): `manage.py db_roles` makes an owner that runs migrations and
a runtime role that can read and append to the log but not change it in any way, nor
switch its guards off; it owns nothing and is no superuser."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from events import store
from events.store import NewEvent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

FORBIDDEN = [
    "UPDATE events_event SET type = 'Forged'",
    "DELETE FROM events_event",
    "TRUNCATE events_event",
    "ALTER TABLE events_event DISABLE TRIGGER events_event_no_update",
    "ALTER TABLE events_event DISABLE TRIGGER USER",
    "SET session_replication_role = replica",
    "UPDATE events_seal SET root = root",
    "DROP TABLE events_event",
    "CREATE TABLE runtime_made (id int)",
]


@pytest.fixture
def roles() -> Iterator[dict[str, str]]:
    suffix = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"
    names = {"app": f"tl_app_{suffix}", "owner": f"tl_owner_{suffix}"}
    yield names
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (superuser,) = cursor.fetchone()
        for role in names.values():
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone():
                cursor.execute(f'REASSIGN OWNED BY "{role}" TO "{superuser}"')
                cursor.execute(f'DROP OWNED BY "{role}"')
                cursor.execute(f'DROP ROLE "{role}"')


def _db_roles(names: dict[str, str]) -> None:
    call_command(
        "db_roles",
        app_user=names["app"],
        app_password="app-pw",
        owner_user=names["owner"],
        owner_password="owner-pw",
    )


def _connect(role: str) -> psycopg.Connection[Any]:
    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        dbname=s["NAME"],
        user=role,
        password="app-pw",
        autocommit=True,
    )


def test_the_runtime_role_can_read_and_append_but_never_change_the_log(
    roles: dict[str, str],
) -> None:
    store.append("roles-1", [NewEvent("Thing", {"a": 1})], expected_version=0)
    _db_roles(roles)
    _db_roles(roles)  # idempotent
    with _connect(roles["app"]) as app:
        assert app.execute("SELECT count(*) FROM events_event").fetchone() == (1,)
        app.execute(
            "WITH s AS (UPDATE events_stream SET version = 2 WHERE stream_id = 'roles-1' "
            "RETURNING 1) INSERT INTO events_event (stream_id, version, event_id, type, "
            "schema_version, data, metadata, recorded_at) SELECT 'roles-1', 2, %s, 'Thing', "
            "1, '{}', '{}', now() FROM s",
            [uuid.uuid4()],
        )
        for statement in FORBIDDEN:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)
        standing = app.execute(
            "SELECT r.rolsuper, (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid) "
            "+ (SELECT count(*) FROM pg_proc p WHERE p.proowner = r.oid) "
            "FROM pg_roles r WHERE r.rolname = current_user"
        ).fetchone()
        assert standing == (False, 0), "a superuser, or owns something"
    assert [e.version for e in store.read_stream("roles-1")] == [1, 2]
    from events.integrity.verify import verify_log

    assert verify_log().ok  # the trigger hashed the runtime role's row


def test_tables_a_later_migration_adds_are_covered(roles: dict[str, str]) -> None:
    _db_roles(roles)
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{roles["owner"]}"')
        try:
            cursor.execute("CREATE TABLE later_table (id serial PRIMARY KEY, note text)")
        finally:
            cursor.execute("RESET ROLE")
    try:
        with _connect(roles["app"]) as app:
            app.execute("INSERT INTO later_table (note) VALUES ('x')")
            app.execute("UPDATE later_table SET note = 'y'")
            assert app.execute("SELECT note FROM later_table").fetchone() == ("y",)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE later_table")


def test_db_roles_refuses_one_role_for_both(roles: dict[str, str]) -> None:
    with pytest.raises(CommandError, match="two different roles"):
        call_command(
            "db_roles",
            app_user=roles["app"],
            app_password="x",
            owner_user=roles["app"],
            owner_password="x",
        )


def test_migrate_runs_as_the_owner_when_one_is_configured(
    roles: dict[str, str], settings: Any
) -> None:
    _db_roles(roles)
    original = dict(connection.settings_dict)
    settings.MIGRATION_DATABASE = {**original, "USER": roles["owner"], "PASSWORD": "owner-pw"}
    try:
        call_command("migrate", verbosity=0)  # everything applied: a no-op, as the owner
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone() == (roles["owner"],)
    finally:
        connection.close()
        connection.settings_dict.update(original)
