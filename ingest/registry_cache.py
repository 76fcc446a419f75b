"""The classifier's view of the actor registry and gazetteer: loaded from the tables,
cached per process, and rebuilt when anyone edits them.

Saving or deleting an Actor or Place (`registry.signals.registry_changed`, connected in
ingest/apps.py) bumps a version key in the Django cache (shared by every process when the
cache is Redis), so workers and the admin agree on which registry is current without a
restart. Without the tables (a fresh clone, no migrate) or with empty ones, the shipped
JSON fixtures are the registry. Reading never writes.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError

from ingest.classify.lexicon import Registry, fixture_registry
from registry.models import Actor, Place

VERSION_KEY = "ingest:registry:version"
_lock = threading.Lock()
_current: Registry | None = None


def registry_version() -> str:
    try:
        value = cache.get(VERSION_KEY)
    except Exception:  # a cache outage must not stop classification
        return "unversioned"
    return str(value) if value else "initial"


def bump_registry_version() -> str:
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, timeout=None)
    return version


def load_from_tables(version: str) -> Registry | None:
    """The registry from the tables, or None when they are missing or empty."""
    try:
        actors: list[dict[str, Any]] = [
            {
                "code": a.code,
                "name": a.name,
                "kind": a.kind,
                "parent": a.parent_id,
                "aliases": list(a.aliases or []),
                "active": a.active,
            }
            for a in Actor.objects.all()
        ]
        places: list[dict[str, Any]] = [
            dict(row)
            for row in Place.objects.values(
                "name", "aliases", "country", "latitude", "longitude", "precision", "region"
            )
        ]
    except DatabaseError:
        return None
    if not actors or not places:
        return None
    return Registry.from_data(actors, places, version)


def current_registry() -> Registry:
    """The registry for the current version, built at most once per version per process."""
    global _current
    version = registry_version()
    registry = _current
    if registry is not None and registry.version == version:
        return registry
    with _lock:
        if _current is not None and _current.version == version:
            return _current
        loaded = load_from_tables(version)
        _current = loaded if loaded is not None else _fixture_copy(version)
        return _current


def _fixture_copy(version: str) -> Registry:
    base = fixture_registry()
    return Registry(base.actors, base.places, version)


def forget_cached_registry() -> None:
    """Drop this process's copy (tests; the version key does this across processes)."""
    global _current
    _current = None


def bump_version_on_registry_edit(**kwargs: Any) -> None:
    """`registry_changed` receiver: every process rebuilds its registry on next use."""
    bump_registry_version()
