"""A registry edit reaches the floors above through `registry_changed`: the force rows are
recomputed (events' receiver) and the classifier's registry version moves (ingest's)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from events.selectors import NOW, forces_page
from ingest.registry_cache import VERSION_KEY, forget_cached_registry, registry_version
from registry.models import Actor, Place
from registry.selectors import country_level_names
from registry.shipped import load_shipped_registry
from registry.signals import registry_changed
from tests.projections.incident_log import report
from tests.support.projections import project_everything


@pytest.fixture(autouse=True)
def fresh_registry_version() -> Iterator[None]:
    cache.delete(VERSION_KEY)
    forget_cached_registry()
    yield
    cache.delete(VERSION_KEY)
    forget_cached_registry()


@pytest.mark.django_db(transaction=True)
def test_saving_an_actor_moves_the_force_rows_and_the_classifier_version() -> None:
    load_shipped_registry()  # transactional tests empty the registry
    report(
        "force_level",
        "USA",
        country="IRQ",
        location="Babylonia",
        quantity={"value": 700, "unit": "troops"},
        occurred_on="2024-05-01",
    )
    project_everything()
    [at_the_place] = forces_page(NOW, actor="USA").results
    assert (at_the_place["place"], at_the_place["low"]) == ("Babylonia", 700)
    before = registry_version()

    # An editor adds the name to the state's aliases: it now means the whole country.
    iraq = Actor.objects.get(code="IRQ")
    iraq.aliases = [*iraq.aliases, "Babylonia"]
    iraq.save()

    assert registry_version() != before
    [country_wide] = forces_page(NOW, actor="USA").results
    assert (country_wide["place"], country_wide["low"], country_wide["high"]) == ("", 700, 700)


@pytest.mark.django_db
def test_saves_and_deletes_of_actors_and_places_send_registry_changed() -> None:
    seen: list[tuple[Any, Any]] = []

    def listen(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append((sender, instance.pk))

    registry_changed.connect(listen, dispatch_uid="test_listen")
    try:
        actor = Actor.objects.create(code="ZZT", name="Test Group", kind="militia")
        place = Place.objects.create(name="Testburg", country="IRQ", precision="city")
        place_pk = place.pk
        place.delete()
        actor.delete()
    finally:
        registry_changed.disconnect(dispatch_uid="test_listen")
    # saved, saved, deleted, deleted
    assert seen == [(Actor, "ZZT"), (Place, place_pk), (Place, place_pk), (Actor, "ZZT")]


@pytest.mark.django_db
def test_country_level_names_are_country_places_and_states_with_their_aliases() -> None:
    names = country_level_names()
    assert ("IRQ", "iraq") in names  # a country-precision place and a state
    assert all(code == code.upper() and name == name.lower() for code, name in names)
    assert not {name for _, name in names} & {"mosul", "ain al-asad"}  # city, site
    Place.objects.create(name="Mesopotamia", country="IRQ", precision="country")
    assert ("IRQ", "mesopotamia") in country_level_names()


@pytest.mark.django_db
def test_loading_the_shipped_registry_again_keeps_an_editors_changes() -> None:
    kh = Actor.objects.get(code="KH")
    kh.aliases = ["edited"]
    kh.save()
    Place.objects.filter(name="Bashiqa").delete()
    load_shipped_registry()
    assert Actor.objects.get(code="KH").aliases == ["edited"]
    assert Place.objects.get(name="Bashiqa").country == "IRQ"  # the missing row is back
