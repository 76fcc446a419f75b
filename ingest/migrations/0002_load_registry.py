"""Loads the shipped actor registry and gazetteer (registry/fixtures/*.json) into the tables.

Rows that already exist (an editor may have changed them) are left alone; reversing
removes nothing an editor may rely on, so it is a no-op.

The models were ingest's when this ran first; they now belong to the registry app
(registry 0001 takes them over, ingest 0053 lets go), which keeps the fixture files and the
loader (registry.shipped); this passes it the historical models.
"""

from django.db import migrations


def load_registry(apps, schema_editor):
    from registry.shipped import load_shipped_registry

    load_shipped_registry(
        actor_model=apps.get_model("ingest", "Actor"),
        place_model=apps.get_model("ingest", "Place"),
    )


class Migration(migrations.Migration):
    dependencies = [("ingest", "0001_initial")]
    operations: list[migrations.operations.base.Operation] = [
        migrations.RunPython(load_registry, migrations.RunPython.noop),
    ]
