"""Which of several places a name means, from the article's other places and countries.

Order: a candidate in the same admin1 as another place of the article, then one in a
country the article names or places in; a state beats a town or division of the same
name unless the context points elsewhere ("Georgia" with Tbilisi is GEO, with Atlanta the
US state), and an entry of the kept list beats a GeoNames town ("Hormuz" is the strait,
not the village of Hormoz); then the largest population; then the more precise kind."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from registry.knowledge.world import Place

_KIND_RANK = {"point": 0, "admin1": 1, "country": 2, "region": 3}


def _standing(place: Place) -> int:
    """A state, then an entry of the kept list (straits, regions, bases), then the rest."""
    if place.geo_precision == "country":
        return 2
    return int(place.kind not in ("populated_place", "admin1"))


def _best_alone(candidates: list[Place]) -> Place | None:
    return pick_place(candidates, context=(), context_countries=set())


def pick_place(
    candidates: list[Place],
    *,
    context: Iterable[list[Place]],
    context_countries: set[str],
) -> Place | None:
    if not candidates:
        return None
    countries = set(context_countries)
    admin1s: set[tuple[str | None, str]] = set()
    context = list(context)
    if len(candidates) > 1:
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

    return max(candidates, key=score)
