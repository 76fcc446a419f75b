"""The actor registry and gazetteer, taken over from the ingest app with their rows.

The models were created by ingest 0001 and filled by ingest 0002; this migration adds them
to the registry app's state only (no table is created), then renames their tables to the
registry app's names and moves their content types, so permissions, group grants and admin
history follow. ingest 0053 then drops them from ingest's state, again without touching the
database. A fresh database and one at the old head end the same: the tables
`registry_actor` and `registry_place` (their index and constraint names keep the `ingest_`
prefix they were created with).
"""

import django.db.models.deletion
from django.db import migrations, models

MOVED = ("actor", "place")


def move_content_types(apps, schema_editor, source="ingest", target="registry"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if ContentType.objects.using(db).filter(app_label=target, model=model).exists():
            continue  # already there (post_migrate made it): leave both, lose nothing
        ContentType.objects.using(db).filter(app_label=source, model=model).update(
            app_label=target
        )


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="registry", target="ingest")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # After every ingest migration that used the models as ingest's (0002 loads them,
        # 0050 grants them to the newsroom groups).
        ("ingest", "0052_incidentkey_reported_on"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Place",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(help_text="canonical name", max_length=200, unique=True)),
                        ("aliases", models.JSONField(blank=True, default=list)),
                        ("country", models.CharField(help_text="ISO 3166-1 alpha-3", max_length=3)),
                        ("latitude", models.FloatField(blank=True, null=True)),
                        ("longitude", models.FloatField(blank=True, null=True)),
                        ("precision", models.CharField(choices=[("country", "country"), ("region", "region / province"), ("city", "city / town"), ("site", "site / base")], max_length=10)),
                        ("region", models.CharField(blank=True, help_text="province / governorate", max_length=200)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={"ordering": ["name"], "db_table": "ingest_place"},
                ),
                migrations.CreateModel(
                    name="Actor",
                    fields=[
                        ("code", models.CharField(help_text="ISO alpha-3 or SHORT_CODE", max_length=40, primary_key=True, serialize=False)),
                        ("name", models.CharField(max_length=200)),
                        ("kind", models.CharField(choices=[("state", "state"), ("armed_group", "armed group"), ("militia", "militia"), ("militia_umbrella", "militia umbrella"), ("armed_forces", "armed forces"), ("coalition", "coalition"), ("intergovernmental", "intergovernmental"), ("subnational_government", "sub-national government"), ("other", "other")], max_length=30)),
                        ("aliases", models.JSONField(blank=True, default=list, help_text="names, capitals, demonyms, officials, as written")),
                        ("active", models.BooleanField(default=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("parent", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="children", to="registry.actor")),
                    ],
                    options={"ordering": ["code"], "db_table": "ingest_actor"},
                ),
            ],
        ),
        # table=None: the default name, registry_<model>.
        migrations.AlterModelTable(name="place", table=None),
        migrations.AlterModelTable(name="actor", table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
