"""Join hand-kept registry rows (ingest/fixtures, or the registry tables) with the
knowledge base's lists, so neither loses what it knows.

Actors: one per code; a kept actor keeps its name, kind and parent and gains the
knowledge base's aliases and extra keys. Places: a kept place wins over a GeoNames place
of the same name in the same country (the kept one is curated: "Deir ez-Zor" keeps its
spelling), which is dropped; its coordinates, admin1 and population fill what the kept
row lacks."""

from __future__ import annotations

from typing import Any

from registry.knowledge.places import ascii_fold


def _key(text: str) -> str:
    return ascii_fold(text).strip().lower()


def merge_actors(kept: list[dict[str, Any]], world: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_code = {a["code"]: dict(a) for a in world}
    for actor in kept:
        base = by_code.get(actor["code"], {})
        aliases = [*(actor.get("aliases") or ()), *(base.get("aliases") or ())]
        by_code[actor["code"]] = {**base, **actor, "aliases": _unique(aliases)}
    return list(by_code.values())


def merge_places(kept: list[dict[str, Any]], world: list[dict[str, Any]]) -> list[dict[str, Any]]:
    kept_keys = {
        (_key(alias), place.get("country") or None): place
        for place in kept
        for alias in (place["name"], *(place.get("aliases") or ()))
    }
    kept_names = {_key(p["name"]) for p in kept}
    merged = [dict(p) for p in kept]
    by_name = {p["name"]: p for p in merged}
    for place in world:
        bare = place["aliases"][0] if place.get("aliases") else place["name"]
        twin = kept_keys.get((_key(bare), place.get("country")))
        if twin is not None and place["kind"] != "admin1":
            row = by_name[twin["name"]]
            for field in ("admin1", "population", "geo_precision", "kind"):
                row.setdefault(field, place.get(field))
            continue
        if _key(place["name"]) in kept_names:
            continue  # a kept place holds this canonical name in another country
        merged.append(place)
    return merged


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item and item.lower() not in seen:
            seen.add(item.lower())
            out.append(item)
    return out
