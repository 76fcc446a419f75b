"""The newsroom's groups: Editors (verify, correct, retract, merge, add) and Viewers."""

from typing import Any

from django.db import migrations


def create_groups(apps: Any, schema_editor: Any) -> None:
    from events.newsroom_roles import sync_newsroom_groups

    sync_newsroom_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("ingest", "0002_load_registry"),
        ("events", "0002_log_immutability"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
