"""Which place names mean a whole country (read from the registry and the gazetteer).

A force level reported "in Iraq" is the country-wide figure, not one for a place named
Iraq. A registry edit recomputes the force rows (ingest.registry, after its commit).
"""

from __future__ import annotations

from events.projections.forces import CountryNames
from ingest.models import Actor, ActorKind, Place, PlacePrecision


def country_level_names() -> CountryNames:
    names: set[tuple[str, str]] = set()
    for place in Place.objects.filter(precision=PlacePrecision.COUNTRY):
        for name in [place.name, *place.aliases]:
            names.add((place.country, str(name).lower()))
    for actor in Actor.objects.filter(kind=ActorKind.STATE):
        for name in [actor.name, *actor.aliases]:
            names.add((actor.code, str(name).lower()))
    return frozenset(names)
