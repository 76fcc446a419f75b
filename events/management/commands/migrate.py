"""Django's `migrate`, run as the owner role when MIGRATION_DATABASE_URL is set: the
runtime role (DATABASE_URL) may not create or alter tables (events.integrity.roles)."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import migrate

from events.integrity.roles import use_owner_connection


class Command(migrate.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("database", "default") == "default":
            use_owner_connection()
        super().handle(*args, **options)
