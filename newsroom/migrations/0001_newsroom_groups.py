"""The newsroom's groups: Editors (verify, correct, retract, merge, add) and Viewers.

Moved here from ingest 0050 with the admin: a database where ingest 0050 already ran gets
the same idempotent sync once more, which adds nothing."""

from typing import Any

from django.db import migrations


def create_groups(apps: Any, schema_editor: Any) -> None:
    from newsroom.groups import sync_newsroom_groups

    sync_newsroom_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("ingest", "0053_registry_moved_out"),
        ("registry", "0001_initial"),
        ("events", "0009_place_names_in_database_collation"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
