"""Which of several places a name means, from the article's other places and countries.

Order: a candidate in the same admin1 as another place of the article, then one in a
country the article names or places in; a state beats a town or division of the same
name unless the context points elsewhere ("Georgia" with Tbilisi is GEO, with Atlanta the
US state), and an entry of the kept list beats a GeoNames town ("Hormuz" is the strait,
not the village of Hormoz); then the largest population; then the more precise kind.

A small town (under 100,000) that only one of its alternate names matched, outside every
country the article names or places in, is no answer: "Jermuk" in an article on Armenia
is not Cermik in Turkey, whose GeoNames alternates include "Jermuk"."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from registry.knowledge.world import Place

_KIND_RANK = {"point": 0, "admin1": 1, "country": 2, "region": 3}
_SMALL_TOWN = 100_000


def _standing(place: Place) -> int:
    """A state, then an entry of the kept list (straits, regions, bases), then the rest."""
    if place.geo_precision == "country":
        return 2
    return int(place.kind not in ("populated_place", "admin1"))


def _best_alone(candidates: list[Place]) -> Place | None:
    return pick_place(candidates, context=(), context_countries=set())


def _fold(text: str) -> str:
    from registry.knowledge.places import ascii_fold

    return "".join(c for c in ascii_fold(text).lower() if c.isalnum())


def _weak_and_far(place: Place, name: str, countries: set[str]) -> bool:
    if not countries or place.country in countries or place.geo_precision != "point":
        return False
    if (place.population or 0) >= _SMALL_TOWN or place.kind != "populated_place":
        return False
    own = {_fold(place.aliases[0] if place.aliases else place.name), _fold(place.name)}
    return _fold(name) not in own


def pick_place(
    candidates: list[Place],
    *,
    context: Iterable[list[Place]],
    context_countries: set[str],
    name: str = "",
) -> Place | None:
    if not candidates:
        return None
    countries = set(context_countries)
    admin1s: set[tuple[str | None, str]] = set()
    context = list(context)
    if len(candidates) > 1 or name:
        for other in context:
            best = _best_alone(other) if other else None
            if best is None:
                continue
            if best.country:
                countries.add(best.country)
            if best.admin1 and best.geo_precision == "point":
                admin1s.add((best.country, best.admin1))
            if best.geo_precision == "admin1" and best.admin1:
                admin1s.add((best.country, best.admin1))

    def score(place: Place) -> tuple[int, int, int, int, int]:
        in_admin1 = int(
            (place.country, place.admin1) in admin1s
            or (place.geo_precision == "admin1" and (place.country, place.name) in admin1s)
        )
        in_country = int(place.country in countries)
        return (
            in_admin1,
            in_country,
            _standing(place),
            place.population or 0,
            -_KIND_RANK.get(place.geo_precision, 4),
        )

    best = max(candidates, key=score)
    if name and _weak_and_far(best, name, countries):
        return None
    return best
