"""The world knowledge base (pure: no database). Built from the data packages into a cache
file on first use; the kept files come from tests/registry/data/ (a few entries of ours)."""

import time
from pathlib import Path
from typing import Any

import pytest

from registry.knowledge import World, load_world, version_of
from registry.knowledge.build import DATA, DATA_FILES
from registry.knowledge.groups import load_groups
from registry.knowledge.places import load_extra_places
from registry.knowledge.states import load_named_institutions
from registry.knowledge.world import Place

TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def world() -> World:
    load_world(TEST_DATA)  # builds the cache file if this version has none yet
    from registry import knowledge

    knowledge._LOADED.clear()
    started = time.perf_counter()
    loaded = load_world(TEST_DATA)
    rss = _rss_mb()
    print(
        f"\nknowledge base {loaded.version}: loaded in {time.perf_counter() - started:.2f}s, "
        f"RSS {rss} MB; {len(loaded.states)} states, {len(loaded.groups)} groups, "
        f"{len(loaded.place_rows)} places (population floor {loaded.population_floor})"
    )
    return loaded


def _rss_mb() -> int:
    status = Path("/proc/self/status")
    if not status.exists():
        return -1
    return int(status.read_text().split("VmRSS:")[1].split()[0]) // 1024


def test_every_iso_state_is_an_actor_and_a_place(world: World) -> None:
    codes = {s["code"] for s in world.states}
    assert len(codes) >= 249 and {"UKR", "RUS", "COD", "SDN", "TWN", "PSE"} <= codes
    actors, places = world.classifier_data(institution_phrases=False)
    states = [a for a in actors if a["kind"] == "state"]
    assert len(states) == len(codes)
    located = {p["country"] for p in places if p["geo_precision"] == "country"}
    # a state the data sets give no centre (Antarctica, Bouvet Island, the US Minor
    # Outlying Islands) is an actor but no place to put on a map
    assert codes - located == {s["code"] for s in world.states if not _has_centre(world, s)}
    assert len(codes - located) <= 3


def _has_centre(world: World, state: dict[str, object]) -> bool:
    return any(
        Place(*row).country == state["code"]
        and Place(*row).precision == "country"
        and Place(*row).latitude is not None
        for row in world.place_rows
    )


@pytest.mark.parametrize(
    ("name", "canonical", "country", "admin1"),
    [
        ("Kyiv", "Kyiv", "UKR", "Kyiv"),
        ("Kiev", "Kyiv", "UKR", "Kyiv"),
        ("Kursk", "Kursk", "RUS", "Kursk Oblast"),
        ("Goma", "Goma", "COD", "Nord-Kivu"),
        ("Wad Madani", "Wad Medani", "SDN", "Gezira State"),
        ("Kharkiv", "Kharkiv", "UKR", "Kharkiv Oblast"),
    ],
)
def test_towns_resolve_with_coordinates_and_admin1(
    world: World, name: str, canonical: str, country: str, admin1: str
) -> None:
    place = world.resolve_place(name)
    assert place is not None
    assert (place.name, place.country, place.admin1) == (canonical, country, admin1)
    assert place.geo_precision == "point" and place.precision == "city"
    assert place.latitude is not None and place.longitude is not None
    assert place.population and place.population > 100_000


def test_states_and_kept_regions_resolve(world: World) -> None:
    taiwan = world.resolve_place("Taiwan")
    assert taiwan is not None and (taiwan.country, taiwan.geo_precision) == ("TWN", "country")
    assert 21 < (taiwan.latitude or 0) < 26 and taiwan.coordinates == "countryinfo centre"
    donbas = world.resolve_place("the Donbas")
    assert donbas is not None and (donbas.name, donbas.country) == ("Donbas", "UKR")
    assert donbas.geo_precision == "region" and donbas.latitude == 48.0
    hormuz = world.resolve_place("Hormuz")
    assert hormuz is not None and hormuz.country is None and hormuz.geo_precision == "region"
    base = world.resolve_place("Tower 22")
    assert base is not None and (base.geo_precision, base.precision) == ("point", "site")


def test_kosovo_is_a_state_at_its_capital(world: World) -> None:
    kosovo = world.resolve_place("Kosovo")
    assert kosovo is not None and kosovo.country == "XKX" and kosovo.coordinates == "capital"
    assert 42 < (kosovo.latitude or 0) < 43.2
    assert world.actor_code("Kosovar police") == "XKX"


def test_every_inhabited_state_place_has_coordinates(world: World) -> None:
    _, places = world.classifier_data(institution_phrases=False)
    states = [p for p in places if p["geo_precision"] == "country"]
    missing = {p["country"] for p in states if p["latitude"] is None}
    assert missing <= {"ATA", "BVT", "UMI"}  # uninhabited: no centre, capital or town


def test_the_shipped_kept_files_are_consistent() -> None:
    world = load_world()
    codes = {s["code"] for s in world.states} | {g["code"] for g in world.groups}
    print(f"\nshipped knowledge base {world.version}: {len(world.groups)} groups")
    assert len(world.groups) >= 300
    assert all(g["parent"] in codes for g in world.groups if g["parent"])
    assert all(set(g["sponsors"]) <= codes for g in world.groups)
    assert all(set(g["countries"]) <= codes for g in world.groups)
    assert world.actor_code("Rapid Support Forces") == "RSF"
    named = {"the Kremlin": "RUS", "IDF": "ISR", "SBU": "UKR", "FARDC": "COD", "FAMa": "MLI"}
    assert {phrase: world.actor_code(phrase) for phrase in named} == named


def test_admin1_divisions_are_places(world: World) -> None:
    oblast = world.resolve_place("Kharkiv Oblast")
    assert oblast is not None and oblast.geo_precision == "admin1" and oblast.country == "UKR"
    assert oblast.latitude is not None and oblast.coordinates == "largest town"


def test_georgia_follows_the_article(world: World) -> None:
    alone = world.resolve_place("Georgia")
    assert alone is not None and alone.country == "GEO"
    with_tbilisi = world.resolve_place("Georgia", context_names=["Tbilisi"])
    assert with_tbilisi is not None and with_tbilisi.country == "GEO"
    with_atlanta = world.resolve_place("Georgia", context_names=["Atlanta"])
    assert with_atlanta is not None
    assert (with_atlanta.country, with_atlanta.geo_precision) == ("USA", "admin1")


def test_homonyms_follow_the_article_then_population(world: World) -> None:
    tripoli = world.resolve_place("Tripoli")
    assert tripoli is not None and tripoli.country == "LBY"
    in_lebanon = world.resolve_place("Tripoli", context_names=["Beirut"])
    assert in_lebanon is not None and in_lebanon.country == "LBN"
    by_code = world.resolve_place("Tripoli", context_countries=["LBN"])
    assert by_code is not None and by_code.country == "LBN"
    paris = world.resolve_place("Paris")
    assert paris is not None and paris.country == "FRA"
    in_texas = world.resolve_place("Paris", context_names=["Texas"])
    assert in_texas is not None and in_texas.country == "USA"
    jordan = world.resolve_place("Jordan")
    assert jordan is not None and jordan.country == "JOR"


def test_a_small_far_town_matched_by_an_alternate_name_is_no_answer(world: World) -> None:
    assert world.resolve_place("Jermuk") is not None  # alone: the only candidate
    assert world.resolve_place("Jermuk", context_countries=["ARM", "AZE"]) is None
    kyiv = world.resolve_place("Kiev", context_countries=["RUS"])  # large: kept
    assert kyiv is not None and kyiv.name == "Kyiv"
    hasakah = world.resolve_place("Hasakah", context_names=["Syria"])
    assert hasakah is not None and hasakah.country == "SYR"


@pytest.mark.parametrize(
    ("phrase", "code"),
    [
        ("Ukrainian", "UKR"),
        ("Ukrainians", "UKR"),
        ("Kinshasa", "COD"),
        ("the Kremlin", "RUS"),
        ("Russia's defence ministry", "RUS"),
        ("the Sudanese armed forces", "SDN"),
        ("Congolese army", "COD"),
        ("army of Mali", "MLI"),
        ("French troops", "FRA"),
        ("the United States' military", "USA"),
        ("the Philippines\u2019 coast guard", "PHL"),
        ("American officials", "USA"),
        ("Congolese", "COD"),
        ("the IDF", "ISR"),
        ("RSF", "RSF"),
        ("M23 rebels", "M23"),
    ],
)
def test_actor_phrases_resolve_to_codes(world: World, phrase: str, code: str) -> None:
    assert world.actor_code(phrase) == code


def test_an_unknown_actor_stays_unknown(world: World) -> None:
    assert world.actor_code("the Zorblatt Liberation Front") is None
    assert world.actor_code("Kurdish forces") is None  # a people, not a state


def test_classifier_shape_keeps_the_extra_keys(world: World) -> None:
    from ingest.classify.lexicon import Registry

    actors, places = world.classifier_data()
    ukraine = next(a for a in actors if a["code"] == "UKR")
    assert {"Ukrainian", "Kyiv", "Ukrainian army", "Ukraine's defence ministry"} <= set(
        ukraine["aliases"]
    )
    assert ukraine["demonyms"] == ["Ukrainian"] and ukraine["countries"] == ["UKR"]
    reunion = next(a for a in actors if a["code"] == "REU")
    assert "French" not in reunion["aliases"] and "French army" not in reunion["aliases"]
    m23 = next(a for a in actors if a["code"] == "M23")
    assert m23["sponsors"] == ["RWA"] and m23["kind"] == "armed_group"
    goma = next(p for p in places if p["name"] == "Goma")
    assert goma["admin1"] == "Nord-Kivu" and goma["geo_precision"] == "point"
    assert goma["population"] > 100_000 and goma["kind"] == "populated_place"
    assert len({p["name"] for p in places}) == len(places)  # canonical names are unique
    registry = Registry.from_data(actors[:300], places[:2000], world.version)
    assert registry.actors["UKR"].kind == "state"


def test_version_follows_the_kept_files(tmp_path: Path) -> None:
    for name in DATA_FILES:
        (tmp_path / name).write_bytes((TEST_DATA / name).read_bytes())
    before = version_of(tmp_path)
    assert before == version_of(TEST_DATA)
    (tmp_path / "armed_groups.json").write_text("[]")
    assert version_of(tmp_path) != before


def test_a_group_code_never_shadows_a_state(tmp_path: Path) -> None:
    (tmp_path / "armed_groups.json").write_text(
        '[{"code": "BRN", "name": "Barisan Revolusi Nasional", "aliases": ["BRN"]}]'
    )
    (group,) = load_groups(tmp_path / "armed_groups.json", frozenset({"BRN", "THA"}))
    assert group["code"] == "BRN_GROUP" and group["aliases"] == ["BRN"]


def test_the_shipped_kept_files_parse() -> None:
    institutions = load_named_institutions(DATA / "state_institutions.json")
    groups = load_groups(DATA / "armed_groups.json")
    places = load_extra_places(DATA / "extra_places.json")
    assert all(len(code) == 3 for code in institutions)
    assert all(g["code"] and g["name"] for g in groups)
    assert all(p["name"] for p in places)


def test_kept_rows_merge_with_the_knowledge_base(world: World) -> None:
    from registry.knowledge.merge import merge_actors, merge_places

    actors, places = world.classifier_data(institution_phrases=False)
    kept_actors: list[dict[str, Any]] = [
        {"code": "UKR", "name": "Ukraine", "kind": "state", "aliases": ["Zelensky"]},
        {"code": "AZOV", "name": "Azov Brigade", "kind": "armed_forces", "parent": "UKR"},
    ]
    kept_places: list[dict[str, Any]] = [
        {
            "name": "Kharkiv",
            "aliases": ["Kharkov"],
            "country": "UKR",
            "latitude": 50.0,
            "longitude": 36.2,
            "precision": "city",
        },
    ]
    merged_actors = {a["code"]: a for a in merge_actors(kept_actors, actors)}
    assert {"Zelensky", "Ukrainian", "Kyiv"} <= set(merged_actors["UKR"]["aliases"])
    assert merged_actors["UKR"]["demonyms"] == ["Ukrainian"]
    assert merged_actors["AZOV"]["parent"] == "UKR"
    merged_places = merge_places(kept_places, places)
    kharkiv = [p for p in merged_places if p["name"] == "Kharkiv"]
    assert len(kharkiv) == 1 and kharkiv[0]["latitude"] == 50.0
    assert kharkiv[0]["admin1"] == "Kharkiv Oblast" and kharkiv[0]["population"] > 1_000_000
    assert any(p["name"] == "Kharkiv Oblast" for p in merged_places)
    assert len({p["name"] for p in merged_places}) == len(merged_places)


def test_the_package_imports_no_django() -> None:
    import subprocess
    import sys

    code = "import sys, registry.knowledge; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
