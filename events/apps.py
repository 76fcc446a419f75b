from django.apps import AppConfig
from django.db.backends.signals import connection_created


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
    from events.projections.wakeup import request_force_refresh

    request_force_refresh()


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = "Event log"

    def ready(self) -> None:
        connection_created.connect(_json_as_text, dispatch_uid="events_json_as_text")
        from registry.signals import registry_changed

        registry_changed.connect(
            _refresh_forces_after_registry_edit, dispatch_uid="events_forces_after_registry_edit"
        )
