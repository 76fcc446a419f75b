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
    assert ("Moscow", "RUS") in found and ("the Kremlin", "RUS") in found


def test_longest_alias_wins_over_its_parts():
    found = mentions("Fighters of Kataib Hezbollah and the US-led coalition moved.")
    assert ("Kataib Hezbollah", "KH") in found
    assert ("US-led coalition", "COALITION") in found
    assert all(code != "USA" for _, code in found)


def test_short_acronyms_need_capitals():
    assert mentions("It is what it is, said the IS commander.") == [("IS commander", "ISIS")]


def test_sponsors_are_not_actors_on_stage():
    found = mentions("Iran-backed Hezbollah and Turkish-supported Syria fired.")
    assert [code for _, code in found] == ["IRN", "HEZBOLLAH", "TUR", "SYR"]
    text = "Iran-backed Hezbollah and Turkish-supported Syria fired."
    flags = [m.sponsor for m in find_actor_mentions(text, low(text), registry())]
    assert flags == [True, False, True, False]


def test_a_sponsor_and_an_armed_group_noun_name_the_sponsors_proxies():
    """Any sponsor spelling x any link word x any group noun, with no alias for each."""
    for phrase in (
        "Iran-backed gunmen",
        "Tehran-aligned Shiite militia groups",
        "Iranian-affiliated armed factions",
        "pro-Tehran militiamen",
        "Iran-linked Iraqi proxies",
    ):
        assert mentions(f"On Sunday {phrase} fired rockets.") == [(phrase, "IRAN_BACKED_MILITIAS")]


def test_proxies_of_a_sponsor_without_an_umbrella_actor_are_reported_as_written():
    text = "Pro-Turkey factions and Russian-backed fighters clashed."
    found = find_actor_mentions(text, low(text), registry())
    assert [(m.code, m.known) for m in found] == [
        ("Pro-Turkey factions", False),
        ("Russian-backed fighters", False),
    ]


def test_a_named_proxy_after_the_phrase_stays_its_own_actor():
    found = mentions("The Iran-backed militia group Kataib Imam Ali fired drones.")
    assert found == [
        ("Iran-backed militia group", "IRAN_BACKED_MILITIAS"),
        ("Kataib Imam Ali", "KIA"),
    ]


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
        "Saraya Qamar al-Zaman claimed the attack.",
        low("Saraya Qamar al-Zaman claimed the attack."),
        registry(),
    )
    assert [(m.code, m.known) for m in found] == [("Saraya Qamar al-Zaman", False)]
