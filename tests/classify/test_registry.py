"""The registry as data: loaded into the tables by migration 0002, read and cached for the
classifier, rebuilt when an editor saves or deletes an actor or a place."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from ingest.classify import extract
from ingest.classify.types import ArticleInput
from ingest.registry_cache import (
    VERSION_KEY,
    current_registry,
    forget_cached_registry,
    registry_version,
)
from registry.models import Actor, Place

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ArticleInput(
    "r1", "Raid", "Saraya Qamar al-Zaman fighters attacked a Turkish base near Zilkan."
)


@pytest.fixture(autouse=True)
def fresh_registry() -> Iterator[None]:
    cache.delete(VERSION_KEY)
    forget_cached_registry()
    yield
    cache.delete(VERSION_KEY)
    forget_cached_registry()


@pytest.mark.django_db
def test_migration_loaded_the_fixtures_into_the_tables():
    assert Actor.objects.get(code="KH").parent_id == "PMF"
    assert "Hezbollah Brigades" in Actor.objects.get(code="KH").aliases
    base = Place.objects.get(name="Ain al-Asad")
    assert (base.country, base.precision) == ("IRQ", "site")
    registry = current_registry()
    assert "KH" in registry.actors and "Ain al-Asad" in registry.places


@pytest.mark.django_db
def test_an_editor_adding_an_alias_is_seen_without_a_restart():
    before = current_registry()
    assert [e.actor for e in extract(ARTICLE, current_registry())] == ["Saraya Qamar al-Zaman"]
    Actor.objects.create(
        code="SQZ", name="Saraya Qamar al-Zaman", kind="militia", aliases=["Qamar al-Zaman"]
    )
    assert current_registry() is not before
    assert [e.actor for e in extract(ARTICLE, current_registry())] == ["SQZ"]


@pytest.mark.django_db
def test_deleting_a_place_rebuilds_the_registry():
    assert extract(ARTICLE, current_registry())[0].location == "Bashiqa"
    Place.objects.filter(name="Bashiqa").delete()
    assert "Bashiqa" not in current_registry().places
    assert extract(ARTICLE, current_registry())[0].location is None


@pytest.mark.django_db
def test_same_version_reuses_the_built_registry():
    first = current_registry()
    assert current_registry() is first
    automaton = first.actor_automaton
    assert current_registry().actor_automaton is automaton


@pytest.mark.django_db
def test_empty_tables_fall_back_to_the_fixtures():
    Place.objects.all().delete()
    registry = current_registry()
    assert "Bashiqa" in registry.places  # from registry/fixtures/places.json


@pytest.mark.django_db
def test_extract_never_writes():
    with CaptureQueriesContext(connection) as queries:
        extract(ARTICLE, current_registry())
    statements = [q["sql"].lstrip().split()[0].upper() for q in queries.captured_queries]
    assert statements and set(statements) <= {"SELECT"}


@pytest.mark.redis
@pytest.mark.django_db
def test_version_key_is_shared_through_redis(redis_url: str):
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    with override_settings(CACHES=caches):  # Django rebuilds the cache handle
        before = registry_version()
        Actor.objects.get(code="KH").save()  # the admin's save: bumps the version
        version = registry_version()
        assert version != before
        env = {**os.environ, "CACHE_URL": redis_url.replace("redis://", "rediscache://")}
        env.pop("DATABASE_URL", None)
        seen = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from ingest.registry_cache import registry_version; print(registry_version())",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert seen.stdout.strip().splitlines()[-1] == version
        cache.delete(VERSION_KEY)


@pytest.mark.django_db
def test_an_emptied_gazetteer_keeps_the_editors_actors():
    """A flushed Place table falls back to the shipped places only: the actors editors
    kept (an accepted learned alias) still count."""
    Place.objects.all().delete()
    Actor.objects.update_or_create(
        code="KEN", defaults={"name": "Kenya", "kind": "state", "aliases": ["Ruto"]}
    )
    forget_cached_registry()
    registry = current_registry()
    assert "Ruto" in registry.actors["KEN"].aliases and "Bashiqa" in registry.places
