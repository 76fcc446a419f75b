"""Reads of the registry that other apps key on, independent of the admin."""

from __future__ import annotations

from registry.models import Actor, ActorKind, Place, PlacePrecision


def country_level_names() -> frozenset[tuple[str, str]]:
    """(ISO3, lower-case name) for every name that means a whole country: the names and
    aliases of country-precision places and of states. A force level reported "in Iraq" is
    the country-wide figure, not one for a place named Iraq."""
    names: set[tuple[str, str]] = set()
    for place in Place.objects.filter(precision=PlacePrecision.COUNTRY):
        for name in [place.name, *place.aliases]:
            names.add((place.country, str(name).lower()))
    for actor in Actor.objects.filter(kind=ActorKind.STATE):
        for name in [actor.name, *actor.aliases]:
            names.add((actor.code, str(name).lower()))
    return frozenset(names)
