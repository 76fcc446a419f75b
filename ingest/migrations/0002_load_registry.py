"""Placeholder: the classifier work loads the shipped actor registry and gazetteer here."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ingest", "0001_initial")]
    operations: list[migrations.operations.base.Operation] = []
