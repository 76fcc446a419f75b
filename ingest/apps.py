from django.apps import AppConfig


class IngestConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ingest"
    verbose_name = "Ingestion"

    def ready(self) -> None:
        from events.signals import incident_event_recorded
        from ingest.incidents.keys import sync_incident_key

        # Every incident command, whoever issues it, keeps the matching lookup in step.
        incident_event_recorded.connect(sync_incident_key, dispatch_uid="ingest_incident_keys")
        from ingest.registry_cache import bump_version_on_registry_edit
        from registry.signals import registry_changed

        # Saving or deleting an actor or place invalidates the classifier's cached registry.
        registry_changed.connect(bump_version_on_registry_edit, dispatch_uid="ingest_registry")
        # The services queue the classification task by name; registering it here makes
        # that name known in every process, not only in workers that autodiscover tasks.
        import ingest.tasks  # noqa: F401
