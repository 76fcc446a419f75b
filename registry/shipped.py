"""The shipped actor registry and gazetteer (registry/fixtures/*.json) into the tables.

The fixtures' aliases are names as written; combinations such as "Tehran-aligned Shiite
militias" are not listed but composed by the actor matcher (sponsor + armed-group noun ->
IRAN_BACKED_MILITIAS), so editors keep a short list per actor. The classifier reads the
same files itself when the tables are missing or empty (ingest.classify.lexicon), since it
imports no app.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shipped_rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The actors and the places as the fixture files list them."""
    actors = json.loads((FIXTURES / "actors.json").read_text(encoding="utf-8"))
    places = json.loads((FIXTURES / "places.json").read_text(encoding="utf-8"))
    return actors, places


def load_shipped_registry(*, actor_model: Any = None, place_model: Any = None) -> None:
    """Insert the shipped actors and places the tables lack; rows that exist (an editor may
    have changed them) are left alone. Without models, today's registry.models.

    ingest migration 0002 calls this with its historical models, so it writes only the
    fields those had: a new field gets its values from its own data migration."""
    if actor_model is None or place_model is None:
        from registry.models import Actor, Place

        actor_model, place_model = actor_model or Actor, place_model or Place
    actors, places = shipped_rows()
    existing = set(actor_model.objects.values_list("code", flat=True))
    actor_model.objects.bulk_create(
        [
            actor_model(code=a["code"], name=a["name"], kind=a["kind"], aliases=a["aliases"])
            for a in actors
            if a["code"] not in existing
        ]
    )
    for a in actors:
        if a.get("parent") and a["code"] not in existing:
            actor_model.objects.filter(code=a["code"]).update(parent_id=a["parent"])
    known = set(place_model.objects.values_list("name", flat=True))
    place_model.objects.bulk_create(
        [
            place_model(
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
