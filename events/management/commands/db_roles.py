"""`manage.py db_roles --app-user NAME --app-password PW --owner-user NAME --owner-password PW`

Run with a superuser DATABASE_URL: creates (or updates) the owner role, which migrations
run as (MIGRATION_DATABASE_URL), and the runtime role the web app and workers use
(DATABASE_URL), with their grants. Idempotent; see events.integrity.roles.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection

from events.integrity.roles import set_up_roles


class Command(BaseCommand):
    help = "Create the owner and runtime database roles and their grants (PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--app-user", required=True)
        parser.add_argument("--app-password", required=True)
        parser.add_argument("--owner-user", required=True)
        parser.add_argument("--owner-password", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("db_roles needs PostgreSQL (SQLite has no roles)")
        try:
            set_up_roles(
                app_user=options["app_user"],
                app_password=options["app_password"],
                owner_user=options["owner_user"],
                owner_password=options["owner_password"],
            )
        except (ValueError, PermissionError, DatabaseError) as error:
            raise CommandError(str(error).strip().splitlines()[0]) from None
        self.stdout.write(
            f"roles ready: {options['owner_user']} owns the schema and runs migrations, "
            f"{options['app_user']} is the runtime role (SELECT, INSERT on the log)"
        )
