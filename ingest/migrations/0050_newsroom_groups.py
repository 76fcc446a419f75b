"""The newsroom's groups were created here; the newsroom app (its migration 0001 and its
post_migrate hook) creates and completes them now, so ingest reaches no room above it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("ingest", "0002_load_registry"),
        ("events", "0002_log_immutability"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations: list[migrations.operations.base.Operation] = []
