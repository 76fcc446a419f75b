"""The world knowledge base as the classifier uses it: states, groups and places with their
name indexes, the place resolver, and the lists `Registry.from_data` accepts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from registry.knowledge.places import ascii_fold
from registry.knowledge.states import INSTITUTION_NOUNS, institution_aliases, name_forms


class Place(NamedTuple):
    name: str
    aliases: list[str]
    kind: str
    country: str | None
    admin1: str | None
    latitude: float | None
    longitude: float | None
    population: int | None
    geo_precision: str
    precision: str
    coordinates: str  # where they come from: "source", "countryinfo centre", "capital"...


def _key(text: str) -> str:
    return ascii_fold(text).strip().lower()


_POSSESSIVE = re.compile("(?:'s|\u2019s|'|\u2019)$")  # "Russia's", "the Philippines'"
_NOUNS_LONGEST_FIRST = sorted(INSTITUTION_NOUNS, key=len, reverse=True)


def place_index(rows: list[tuple[Any, ...]]) -> dict[str, list[int]]:
    """Folded, lowered alias -> the rows that carry it (built once, kept in the cache)."""
    index: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        for alias in row[1]:
            bucket = index.setdefault(_key(alias), [])
            if not bucket or bucket[-1] != i:
                bucket.append(i)
    return index


@dataclass
class World:
    version: str
    population_floor: int
    states: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    place_rows: list[tuple[Any, ...]]
    place_extras: dict[int, dict[str, Any]] = field(default_factory=dict)
    place_index: dict[str, list[int]] = field(default_factory=dict)
    actor_index: dict[str, str] = field(default_factory=dict)
    state_forms: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> World:
        world = cls(
            version=data["version"],
            population_floor=data["population_floor"],
            states=data["states"],
            groups=data["groups"],
            place_rows=data["places"],
            place_extras=data.get("place_extras") or {},
            place_index=data.get("place_index") or place_index(data["places"]),
        )
        world._index_actors()
        return world

    def _index_actors(self) -> None:
        actors: dict[str, str] = {}
        # A name shared by several states ("French", "American", "Congolese", "Kingston")
        # belongs to the most populous: France, not Reunion; DR Congo, not Congo.
        for state in sorted(self.states, key=lambda s: -s.get("population", 0)):
            code = state["code"]
            for form in name_forms(state):
                self.state_forms.setdefault(_key(form), code)
            for alias in self.state_aliases(state):
                actors.setdefault(_key(alias), code)
        for group in self.groups:
            for alias in (group["name"], *group["aliases"]):
                actors.setdefault(_key(alias), group["code"])
        self.actor_index = actors

    # -- actors -------------------------------------------------------------------------
    @staticmethod
    def state_aliases(state: dict[str, Any]) -> list[str]:
        """Names, demonyms (and their plurals), the capital as metonym, named institutions."""
        names = [n for n in state["names"] if "," not in n]
        plurals = [f"{d}s" for d in state["demonyms"] if d[-1:] in ("n", "i")]
        capital = [state["capital"], state["capital"].removesuffix(" D.C.")]
        return [
            a
            for a in (
                *names,
                *state["demonyms"],
                *plurals,
                *capital,
                *state.get("institutions", ()),
            )
            if a
        ]

    def _owns(self, code: str, alias: str) -> bool:
        return self.actor_index.get(_key(alias), code) == code

    def actor_code(self, phrase: str) -> str | None:
        """The actor a phrase names: "Ukrainian" -> UKR, "the Kremlin" -> RUS,
        "Russia's defence ministry" -> RUS, "army of Mali" -> MLI; None when unknown."""
        key = _key(phrase)
        key = key[4:] if key.startswith("the ") else key
        if key in self.actor_index:
            return self.actor_index[key]
        for noun in _NOUNS_LONGEST_FIRST:
            if key.endswith(" " + noun):
                head = _POSSESSIVE.sub("", key[: -len(noun) - 1].strip())
                if head in self.state_forms:
                    return self.state_forms[head]
            if key.startswith(noun + " of "):
                tail = key[len(noun) + 4 :]
                tail = tail[4:] if tail.startswith("the ") else tail
                if tail in self.state_forms:
                    return self.state_forms[tail]
        return None

    # -- places -------------------------------------------------------------------------
    def place(self, index: int) -> Place:
        return Place(*self.place_rows[index])

    def place_candidates(self, name: str) -> list[Place]:
        key = _key(name)
        key = key[4:] if key.startswith("the ") and key[4:] in self.place_index else key
        return [self.place(i) for i in self.place_index.get(key, ())]

    def place_named(self, canonical: str) -> Place | None:
        for candidate in self.place_candidates(canonical):
            if candidate.name == canonical:
                return candidate
        return None

    def resolve_place(
        self,
        name: str,
        *,
        context_names: tuple[str, ...] | list[str] = (),
        context_countries: tuple[str, ...] | list[str] = (),
    ) -> Place | None:
        from registry.knowledge.resolve import pick_place

        return pick_place(
            self.place_candidates(name),
            context=[self.place_candidates(n) for n in context_names if _key(n) != _key(name)],
            context_countries=set(context_countries),
            name=name,
        )

    # -- the classifier's shape ---------------------------------------------------------
    def classifier_data(
        self, *, institution_phrases: bool = True
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Actor and place dicts in the shape `Registry.from_data` accepts, plus extra keys
        (actor: countries, sponsors, demonyms, source; place: admin1, population,
        geo_precision, kind, countries, source)."""
        actors: list[dict[str, Any]] = []
        for state in self.states:
            aliases = [a for a in self.state_aliases(state) if self._owns(state["code"], a)]
            if institution_phrases:
                owned = {
                    **state,
                    "names": [n for n in state["names"] if self._owns(state["code"], n)],
                    "demonyms": [d for d in state["demonyms"] if self._owns(state["code"], d)],
                }
                aliases += institution_aliases(owned)
            actors.append(
                {
                    "code": state["code"],
                    "name": state["name"],
                    "kind": "state",
                    "parent": None,
                    "aliases": _unique(aliases),
                    "countries": [state["code"]],
                    "sponsors": [],
                    "demonyms": list(state["demonyms"]),
                    "capital": state["capital"],
                    "source": "ISO 3166-1 (pycountry); demonym and capital (countryinfo)",
                }
            )
        for group in self.groups:
            actors.append(
                {**group, "aliases": _unique([group["name"], *group["aliases"]]), "demonyms": []}
            )
        places = []
        for i, row in enumerate(self.place_rows):
            place = Place(*row)
            if place.latitude is None or place.longitude is None:
                continue  # nowhere to put it on a map (Antarctica): not a place to report
            places.append(
                {
                    "name": place.name,
                    "aliases": list(place.aliases),
                    "country": place.country,
                    "latitude": place.latitude,
                    "longitude": place.longitude,
                    "precision": place.precision,
                    "region": place.admin1 or "",
                    "admin1": place.admin1,
                    "population": place.population,
                    "geo_precision": place.geo_precision,
                    "kind": place.kind,
                    "coordinates": place.coordinates,
                    **self.place_extras.get(i, {}),
                }
            )
        return actors, places


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item and item.lower() not in seen:
            seen.add(item.lower())
            out.append(item)
    return out
