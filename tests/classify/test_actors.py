from ingest.classify.actors import find_actor_mentions

from .helpers import low, registry


def mentions(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.code) for m in find_actor_mentions(text, low(text), registry())]


def test_officials_titles_capitals_and_demonyms_resolve_to_states():
    text = (
        "A Jordanian government spokesperson said Defense Secretary Lloyd Austin met "
        "officials in Amman while Moscow and the Kremlin stayed silent."
    )
    found = mentions(text)
    assert ("Jordanian government spokesperson", "JOR") in found
    assert ("Lloyd Austin", "USA") in found
    assert ("Amman", "JOR") in found
    assert ("Moscow", "RUS") in found and ("Kremlin", "RUS") in found


def test_longest_alias_wins_over_its_parts():
    found = mentions("Fighters of Kataib Hezbollah and the US-led coalition moved.")
    assert ("Kataib Hezbollah", "KH") in found
    assert ("US-led coalition", "COALITION") in found
    assert all(code != "USA" for _, code in found)


def test_short_acronyms_need_capitals():
    assert mentions("It is what it is, said the IS commander.") == [("IS commander", "ISIS")]


def test_sponsors_are_not_actors_on_stage():
    found = find_actor_mentions(
        "Iran-backed gunmen and pro-Turkey factions fired.",
        low("Iran-backed gunmen and pro-Turkey factions fired."),
        registry(),
    )
    assert [(m.code, m.sponsor) for m in found] == [("IRN", True), ("TUR", True)]


def test_places_after_a_preposition_are_places_also_when_coordinated():
    text = "Drones flew from Syria and Iraq while Syria denied it."
    found = find_actor_mentions(text, low(text), registry())
    assert [(m.code, m.locative) for m in found] == [
        ("SYR", True),
        ("IRQ", True),
        ("SYR", False),
    ]


def test_unknown_organisations_are_reported_by_name():
    found = find_actor_mentions(
        "Saraya Awliya al-Dam claimed the attack.",
        low("Saraya Awliya al-Dam claimed the attack."),
        registry(),
    )
    assert [(m.code, m.known) for m in found] == [("Saraya Awliya al-Dam", False)]
