from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NewsroomConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from newsroom.groups import sync_after_migrate

        # Keeps the newsroom groups complete as models are added (see newsroom.groups).
        post_migrate.connect(sync_after_migrate, sender=self, dispatch_uid="newsroom_groups")
