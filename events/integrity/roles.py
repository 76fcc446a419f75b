"""Two PostgreSQL roles (issue 14, least privilege):

- the owner runs migrations and owns every table, sequence and function of the schema;
- the runtime role (web app, workers) owns nothing and is no superuser: it reads and
  writes the working tables, but on the append-only tables (the log, its seals, the log
  checks) it has SELECT and INSERT only. Not owning them, it can neither disable their
  triggers nor TRUNCATE, and not being a superuser it cannot SET session_replication_role.

`grant_statements` is idempotent: roles are created when missing (passwords reset when
present), ownership moved to the owner, and default privileges make the tables that later
migrations create (as the owner) readable and writable by the runtime role. Migration 0011
takes UPDATE/DELETE/TRUNCATE on append-only tables back from anyone but the owner.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

APPEND_ONLY_TABLES = ("events_event", "events_seal", "events_log_check")


def _role(cursor: Any, name: str, password: str) -> None:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
    verb = "ALTER" if cursor.fetchone() else "CREATE"
    quoted = connection.ops.quote_name(name)
    cursor.execute(
        f"{verb} ROLE {quoted} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
        "NOBYPASSRLS PASSWORD %s",
        [password],
    )


def _owned_objects(cursor: Any, schema: str) -> list[tuple[str, str]]:
    """(kind, qualified name) of what lives in `schema` and may need a new owner."""
    cursor.execute(
        "SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' "
        "WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, "
        "format('%%I.%%I', n.nspname, c.relname) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'S') "
        # identity and serial sequences follow their table
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid "
        "AND d.deptype IN ('a', 'i') AND c.relkind = 'S') "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')",
        [schema],
    )
    objects = [(kind, name) for kind, name in cursor.fetchall()]
    cursor.execute(
        "SELECT format('%%I.%%I(%%s)', n.nspname, p.proname, "
        "pg_get_function_identity_arguments(p.oid)) FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %s "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')",
        [schema],
    )
    objects += [("FUNCTION", name) for (name,) in cursor.fetchall()]
    return objects


def set_up_roles(*, app_user: str, app_password: str, owner_user: str, owner_password: str) -> None:
    """Create or update both roles and every grant in the current database (run it as a
    superuser); safe to run again, before or after `migrate`."""
    if app_user == owner_user:
        raise ValueError("the runtime role and the owner must be two different roles")
    q = connection.ops.quote_name
    app, owner = q(app_user), q(owner_user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            raise PermissionError("db_roles must run as a superuser (DATABASE_URL)")
        _role(cursor, owner_user, owner_password)
        _role(cursor, app_user, app_password)
        cursor.execute("SELECT current_database(), current_schema()")
        database, schema_name = cursor.fetchone()
        db, schema = q(database), q(schema_name)
        cursor.execute(f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {owner}, {app}")
        cursor.execute(f"GRANT CREATE ON DATABASE {db} TO {owner}")  # rebuilds add schemas
        cursor.execute(f"GRANT USAGE, CREATE ON SCHEMA {schema} TO {owner}")
        cursor.execute(f"GRANT USAGE ON SCHEMA {schema} TO {app}")
        cursor.execute(f"REVOKE CREATE ON SCHEMA {schema} FROM {app}")
        for kind, name in _owned_objects(cursor, schema_name):
            cursor.execute(f"ALTER {kind} {name} OWNER TO {owner}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {app}"
        )
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {app}")
        for table in APPEND_ONLY_TABLES:
            cursor.execute("SELECT to_regclass(%s)", [f"{schema_name}.{table}"])
            if cursor.fetchone()[0] is not None:
                cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {q(table)} FROM {app}")
        default = f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema}"
        cursor.execute(f"{default} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}")
        cursor.execute(f"{default} GRANT USAGE, SELECT ON SEQUENCES TO {app}")


def use_owner_connection() -> bool:
    """Point the default connection at the owner (MIGRATION_DATABASE_URL) for the rest of
    this process, for commands that change the schema: `migrate`, projection rebuilds.
    False (nothing changed) when no owner is configured."""
    from django.conf import settings

    owner = getattr(settings, "MIGRATION_DATABASE", None)
    if not owner:
        return False
    connection.close()
    # Only the credentials: the database stays the connection's own (a test database
    # included); settings refuse an owner URL that names another one.
    for key in ("USER", "PASSWORD"):
        connection.settings_dict[key] = owner.get(key, "")
    return True
