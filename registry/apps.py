from django.apps import AppConfig


class RegistryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "registry"
    verbose_name = "Registry"

    def ready(self) -> None:
        from registry.signals import send_registry_changed_on_edits

        # Saving or deleting an actor or place tells whoever listens (registry.signals).
        send_registry_changed_on_edits()
