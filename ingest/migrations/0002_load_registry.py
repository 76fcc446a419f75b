"""Loads the shipped actor registry and gazetteer (registry/fixtures/*.json) into the tables.

The fixture's aliases are names as written; combinations such as "Tehran-aligned Shiite
militias" are not listed but composed by the actor matcher (sponsor + armed-group noun ->
IRAN_BACKED_MILITIAS), so editors keep a short list per actor.

Rows that already exist (an editor may have changed them) are left alone; reversing
removes nothing an editor may rely on, so it is a no-op.

The models were ingest's when this ran first; they now belong to the registry app
(registry 0001 takes them over, ingest 0053 lets go), and so do the fixture files.
"""

import json
from pathlib import Path

from django.db import migrations

FIXTURES = Path(__file__).resolve().parents[2] / "registry" / "fixtures"


def load_registry(apps, schema_editor):
    Actor = apps.get_model("ingest", "Actor")
    Place = apps.get_model("ingest", "Place")
    actors = json.loads((FIXTURES / "actors.json").read_text(encoding="utf-8"))
    places = json.loads((FIXTURES / "places.json").read_text(encoding="utf-8"))
    existing = set(Actor.objects.values_list("code", flat=True))
    Actor.objects.bulk_create(
        [
            Actor(code=a["code"], name=a["name"], kind=a["kind"], aliases=a["aliases"])
            for a in actors
            if a["code"] not in existing
        ]
    )
    for a in actors:
        if a.get("parent") and a["code"] not in existing:
            Actor.objects.filter(code=a["code"]).update(parent_id=a["parent"])
    known = set(Place.objects.values_list("name", flat=True))
    Place.objects.bulk_create(
        [
            Place(
                name=p["name"],
                aliases=p["aliases"],
                country=p["country"] or "",
                latitude=p["latitude"],
                longitude=p["longitude"],
                precision=p["precision"],
                region=p.get("region") or "",
            )
            for p in places
            if p["name"] not in known
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("ingest", "0001_initial")]
    operations: list[migrations.operations.base.Operation] = [
        migrations.RunPython(load_registry, migrations.RunPython.noop),
    ]
