from ingest.classify.places import find_places

from .helpers import low, registry


def places(text: str) -> list[tuple[str, str | None, str]]:
    return [
        (p.place.name, p.place.country, p.place.precision)
        for p in find_places(text, low(text), registry())
    ]


def test_aliases_resolve_to_canonical_places_with_country_and_precision():
    found = places("Rockets hit Ayn al-Asad and Deir el-Zour; Incirlik was on alert.")
    assert found == [
        ("Ain al-Asad", "IRQ", "site"),
        ("Deir ez-Zor", "SYR", "city"),
        ("Incirlik", "TUR", "site"),
    ]


def test_capitalised_place_names_do_not_match_ordinary_words():
    assert places("The missile hit a van near the base.") == []


def test_every_place_has_coordinates():
    for place in registry().places.values():
        assert place.latitude is not None and place.longitude is not None, place.name
