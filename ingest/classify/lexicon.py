"""The registry of actors and the gazetteer as the classifier sees them: plain data plus
the Aho-Corasick automata built from their aliases.

Building the automata costs milliseconds, so a `Registry` is built once per registry
version (see ingest.registry_cache) and shared by every article, never rebuilt per article.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, cast

import ahocorasick

# The shipped registry, kept by the registry app (plain JSON: reading it needs no Django).
FIXTURES = Path(__file__).resolve().parents[2] / "registry" / "fixtures"

T = TypeVar("T")


@dataclass(frozen=True)
class ActorEntry:
    code: str
    name: str
    kind: str
    parent: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlaceEntry:
    name: str
    country: str | None
    latitude: float | None
    longitude: float | None
    precision: str
    aliases: tuple[str, ...] = ()
    region: str = ""
    admin1: str | None = None
    geo_precision: str | None = None  # point, admin1, country or region (ACLED-like)


# More specific places win when a sentence names several.
PRECISION_RANK = {"site": 3, "city": 2, "region": 1, "country": 0}
# A kept place's precision as the geo precision events carry (a kept "region" is a
# province or governorate: an admin1; the world knowledge base states its own).
GEO_PRECISION = {"site": "point", "city": "point", "region": "admin1", "country": "country"}
# Registry kinds as the output's actor_kind / target_kind (../shared/spec/extraction.md).
OUTPUT_KIND = {
    "state": "state",
    "armed_group": "armed_group",
    "militia": "armed_group",
    "militia_umbrella": "armed_group",
    "separatist": "armed_group",
    "pmc": "armed_group",
    "criminal_group": "armed_group",
    "coalition": "coalition",
    "intergovernmental": "igo",
    "peacekeeping_mission": "igo",
}


class AliasHit(NamedTuple):
    """One alias of one entry, as stored in the automaton (a tuple: a world registry
    stores some 300,000 of them, and a frozen dataclass costs three times as much to make)."""

    key: str  # the entry's code (actor) or canonical name (place)
    alias: str
    case_sensitive: bool  # acronyms: "US", "IS" must be written in capitals
    capitalised: bool  # proper names: "Hit" the town must not match "hit" the verb


def _alias_hit(key: str, alias: str) -> AliasHit:
    # acronyms ("US", "IS", "FARDC"): five letters at most, all capitals
    acronym = alias.isupper() and sum(c.isalpha() for c in alias) <= 5
    return AliasHit(key, alias, acronym, alias[:1].isupper())


def _automaton(pairs: list[tuple[str, str]]) -> ahocorasick.Automaton:
    table: dict[str, list[AliasHit]] = {}
    for key, alias in pairs:
        alias = alias.strip()
        if not alias:
            continue
        table.setdefault(alias.lower(), []).append(_alias_hit(key, alias))
    automaton = ahocorasick.Automaton()
    for lowered, hits in table.items():
        automaton.add_word(lowered, (len(lowered), tuple(hits)))
    automaton.make_automaton()
    return automaton


_WORD = re.compile(r"\w+")


class NameIndex:
    """Place names looked up by the words of a sentence rather than by an automaton: a
    world gazetteer holds some 300,000 names, and a dict of them builds in a tenth of the
    time and memory an Aho-Corasick automaton takes, while a sentence's runs of up to
    `longest` words cost a few hundred lookups. `iter` answers like the automaton's
    (end index, (length, hits)), so `find_matches` treats both alike."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        table: dict[str, list[tuple[str, str]]] = {}
        for key, alias in pairs:
            low = alias.lower()
            bucket = table.get(low)
            if bucket is None:
                table[low] = [(key, alias)]
            elif (key, alias) not in bucket:
                bucket.append((key, alias))
        table.pop("", None)
        self._table = table
        self.longest = max(
            (len(_WORD.findall(name)) for name in table if not name.isalnum()), default=1
        )
        # A run of words can only be a name if its first word opens one, and a word
        # written in small letters only opens a name written so ("al-Hasakah"): most of
        # a sentence's words are skipped after one set lookup.
        self._opening = {_first_word(name) for name in table}
        self._small_opening = {
            _first_word(low)
            for low, bucket in table.items()
            if any(not alias[:1].isupper() for _, alias in bucket)
        }
        self._recent: dict[str, list[tuple[int, tuple[int, tuple[AliasHit, ...]]]]] = {}

    def __len__(self) -> int:
        return len(self._table)

    def iter(self, low: str, text: str = "") -> list[tuple[int, tuple[int, tuple[AliasHit, ...]]]]:
        # actors and places both ask about the same sentence: answer the second from memory
        remembered = self._recent.get(text or low)
        if remembered is not None:
            return remembered
        spans = [m.span() for m in _WORD.finditer(low)]
        if text:  # scraped text glues words ("In earlyAnkara"): a capital starts a word
            spans = _split_glued(spans, text)
        found = []
        table, longest = self._table, self.longest
        for i, (start, first_end) in enumerate(spans):
            first = low[start:first_end]
            capital = not text or not text[start].islower()
            if first not in (self._opening if capital else self._small_opening):
                continue
            for _, end in spans[i : i + longest]:
                bucket = table.get(low[start:end])
                if bucket is not None:
                    hits = tuple(_alias_hit(key, alias) for key, alias in bucket)
                    found.append((end - 1, (end - start, hits)))
        if len(self._recent) > 256:
            self._recent.clear()
        self._recent[text or low] = found
        return found


def _first_word(name: str) -> str:
    first = _WORD.search(name)
    return first.group(0) if first else name


def _split_glued(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    split = []
    for start, end in spans:
        cut = start
        for i in range(start + 1, end):
            if text[i].isupper() and text[i - 1].islower():
                split.append((cut, i))
                cut = i
        split.append((cut, end))
    return split


@dataclass
class Registry:
    """Actors by code and places by canonical name, with their matchers."""

    actors: dict[str, ActorEntry]
    places: dict[str, PlaceEntry]
    version: str = "fixtures"
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @cached_property
    def actor_automaton(self) -> ahocorasick.Automaton:
        pairs = []
        for actor in self.actors.values():
            pairs.append((actor.code, actor.name))
            pairs.extend((actor.code, alias) for alias in actor.aliases)
        return _automaton(pairs)

    @cached_property
    def place_automaton(self) -> NameIndex:
        pairs = []
        for place in self.places.values():
            pairs.append((place.name, place.name))
            pairs.extend((place.name, alias.strip()) for alias in place.aliases)
        return NameIndex(pairs)

    def memo(self, name: str, build: Callable[[], T]) -> T:
        """`build()`'s result, computed once per registry: tables derived from its entries
        (alias sets, lookups). An edit makes a new Registry, so none of them goes stale."""
        if name not in self._cache:
            self._cache[name] = build()
        return cast(T, self._cache[name])

    def is_state(self, code: str | None) -> bool:
        return code is not None and code in self.actors and self.actors[code].kind == "state"

    def proxies_of(self, sponsor: str) -> str | None:
        """The umbrella actor for a state's unnamed proxies ("Iran-backed militias"):
        `<code>_BACKED_MILITIAS` or `<NAME>_BACKED_MILITIAS` (IRAN_BACKED_MILITIAS), if the
        registry has one."""
        return self.memo("proxies_of", self._proxies).get(sponsor)

    def _proxies(self) -> dict[str, str]:
        table = {}
        for actor in self.actors.values():
            if actor.kind != "state":
                continue
            for stem in (actor.code, re.sub(r"\W+", "_", actor.name).upper()):
                if f"{stem}_BACKED_MILITIAS" in self.actors:
                    table[actor.code] = f"{stem}_BACKED_MILITIAS"
                    break
        return table

    def country_place(self, code: str) -> PlaceEntry | None:
        """The gazetteer's entry for a state as a place ("Israeli towns" -> Israel)."""
        table = self.memo(
            "country_places",
            lambda: {p.country: p for p in self.places.values() if p.precision == "country"},
        )
        return table.get(code)

    def output_kind(self, code: str | None) -> str | None:
        """The kind an output line names for an actor: null when the actor is unknown; a
        state's own forces ("armed_forces" with a state parent, the IRGC) are the state."""
        actor = self.actors.get(code) if code else None
        if actor is None:
            return None
        if actor.kind == "armed_forces":
            return "state" if self.is_state(actor.parent) else "armed_group"
        return OUTPUT_KIND.get(actor.kind, "other")

    def is_umbrella(self, code: str | None) -> bool:
        return code is not None and code in self.actors and "umbrella" in self.actors[code].kind

    @classmethod
    def from_data(
        cls, actors: list[dict[str, Any]], places: list[dict[str, Any]], version: str
    ) -> Registry:
        actor_entries = {
            a["code"]: ActorEntry(
                code=a["code"],
                name=a["name"],
                kind=a.get("kind") or "other",
                parent=a.get("parent"),
                aliases=tuple(a.get("aliases") or ()),
            )
            for a in actors
            if a.get("active", True)
        }
        place_entries = {
            p["name"]: PlaceEntry(
                name=p["name"],
                country=p.get("country") or None,
                latitude=p.get("latitude"),
                longitude=p.get("longitude"),
                precision=p.get("precision") or "city",
                aliases=tuple(p.get("aliases") or ()),
                region=p.get("region") or "",
                admin1=p.get("admin1") or p.get("region") or None,
                geo_precision=p.get("geo_precision")
                or GEO_PRECISION.get(str(p.get("precision") or "city")),
            )
            for p in places
        }
        return cls(actor_entries, place_entries, version)


def fixture_data() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    actors = json.loads((FIXTURES / "actors.json").read_text(encoding="utf-8"))
    places = json.loads((FIXTURES / "places.json").read_text(encoding="utf-8"))
    return actors, places


_FIXTURE_REGISTRY: Registry | None = None


def fixture_registry() -> Registry:
    """The shipped registry, straight from the JSON fixtures (no database needed)."""
    global _FIXTURE_REGISTRY
    if _FIXTURE_REGISTRY is None:
        actors, places = fixture_data()
        _FIXTURE_REGISTRY = Registry.from_data(actors, places, "fixtures")
    return _FIXTURE_REGISTRY
