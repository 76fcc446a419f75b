"""Actor and Place now belong to the registry app (registry 0001 took them over, with their
tables and rows): forget them here without touching the database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("ingest", "0052_incidentkey_reported_on"),
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Actor"),
                migrations.DeleteModel(name="Place"),
            ],
        ),
    ]
