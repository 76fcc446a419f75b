from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _register_sqlite_functions(sender: object, connection: object, **kwargs: object) -> None:
    """The SQLite log triggers ask `tracker_log_purge_allowed()` before a DELETE.

    It answers from settings (never true outside the test suite's flush). A connection
    that lacks the function (the sqlite3 shell) fails the trigger, so the log stays closed.
    """
    if getattr(connection, "vendor", None) != "sqlite":
        return
    from django.conf import settings

    def allowed() -> int:
        return int(bool(getattr(settings, "TRACKER_ALLOW_LOG_PURGE", False)))

    connection.connection.create_function(  # type: ignore[attr-defined]
        "tracker_log_purge_allowed", 0, allowed, deterministic=False
    )


def _json_as_text(sender: object, connection: object, **kwargs: object) -> None:
    """PostgreSQL `json` values (tables.JsonDocument) reach Python as text, decoded by the
    field, as Django has psycopg do for jsonb."""
    if getattr(connection, "vendor", None) != "postgresql":
        return
    from psycopg.types.string import TextLoader

    connection.connection.adapters.register_loader("json", TextLoader)  # type: ignore[attr-defined]


def _refresh_forces_after_registry_edit(**kwargs: object) -> None:
    """Which place names mean a whole country decides the force rows' keys, so a registry
    edit recomputes them (once the edit commits)."""
    from events.projections.engine.wakeup import request_force_refresh

    request_force_refresh()


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = "Event log"

    def import_models(self) -> None:
        """The log's tables (events.models), then the read models' (each declared with its
        rules in events/projections/rules/): importing a model registers it with the app."""
        super().import_models()
        import events.projections.rules  # noqa: F401

    def ready(self) -> None:
        import events.tasks  # noqa: F401  (registers the tasks the projections' wake-ups send)

        connection_created.connect(_register_sqlite_functions, dispatch_uid="events_sqlite_fns")
        connection_created.connect(_json_as_text, dispatch_uid="events_json_as_text")
        from registry.signals import registry_changed

        registry_changed.connect(
            _refresh_forces_after_registry_edit, dispatch_uid="events_forces_after_registry_edit"
        )
