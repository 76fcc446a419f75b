"""The classifier's view of the actor registry and gazetteer: loaded from the tables,
cached per process, and rebuilt when anyone edits them.

Saving or deleting an Actor or Place (`registry.signals.registry_changed`, connected in
ingest/apps.py) bumps a version key in the Django cache (shared by every process when the
cache is Redis), so workers and the admin agree on which registry is current without a
restart. Without the tables (a fresh clone, no migrate) or with empty ones, the shipped
JSON fixtures are the registry. Reading never writes.
"""

from __future__ import annotations

import functools
import threading
import uuid
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError

from ingest.classify.lexicon import Registry, fixture_data
from registry.knowledge import load_world
from registry.knowledge.merge import merge_actors, merge_places
from registry.models import Actor, Place

VERSION_KEY = "ingest:registry:version"
_lock = threading.Lock()
_current: Registry | None = None
_current_for = ""  # the cache's version key the current registry was built for


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


@functools.cache
def _world_data() -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    """The world knowledge base in the classifier's shape, read once per process: it only
    changes with a new release of the project (its version names its data and code)."""
    world = load_world()
    actors, places = world.classifier_data()
    return actors, places, world.version


def with_world(
    actors: list[dict[str, Any]], places: list[dict[str, Any]], version: str
) -> Registry:
    """The kept registry (the tables editors maintain, or the shipped fixtures) joined with
    the world knowledge base: kept names win, the base adds every state, group and town.
    The version names both, so each extracted event says what it was read with."""
    world_actors, world_places, world_version = _world_data()
    return Registry.from_data(
        merge_actors(actors, world_actors),
        merge_places(places, world_places),
        f"{version}+{world_version}",
    )


def load_from_tables(version: str) -> Registry | None:
    """The registry from the tables, or None when they are missing or hold no actor."""
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
    if not actors:
        return None
    if not places:  # an emptied gazetteer table: the shipped places, the editors' actors
        places = fixture_data()[1]
    return with_world(actors, places, version)


def current_registry() -> Registry:
    """The registry for the current version, built at most once per version per process."""
    global _current, _current_for
    version = registry_version()
    registry = _current
    if registry is not None and _current_for == version:
        return registry
    with _lock:
        if _current is not None and _current_for == version:
            return _current
        loaded = load_from_tables(version)
        _current = loaded if loaded is not None else shipped_registry(version)
        _current_for = version
        return _current


@functools.cache
def shipped_registry(version: str = "fixtures") -> Registry:
    """The registry without a database: the shipped fixtures joined with the world (built
    once per process: the fixtures and the knowledge base change only with a release)."""
    actors, places = fixture_data()
    return with_world(actors, places, version)


def forget_cached_registry() -> None:
    """Drop this process's copy (tests; the version key does this across processes)."""
    global _current, _current_for
    _current, _current_for = None, ""


def bump_version_on_registry_edit(**kwargs: Any) -> None:
    """`registry_changed` receiver: every process rebuilds its registry on next use."""
    bump_registry_version()
