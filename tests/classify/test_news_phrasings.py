"""Phrasings of wire reports, written for these tests: who acts when a national adjective
names irregulars or a place, attacks told before their attacker is named, coordinated
actors, verdicts, denials of involvement, threats of a response."""

from datetime import date

from ingest.classify.actors import find_actor_mentions

from .helpers import low, one, read, registry


def codes(text: str) -> list[tuple[str, bool, bool]]:
    return [
        (m.code, m.sponsor, m.locative) for m in find_actor_mentions(text, low(text), registry())
    ]


def test_national_adjectives_for_irregulars_and_places_are_not_the_state_acting():
    assert codes("A Syrian militia shelled the Turkish border town.") == [
        ("SYR", True, False),
        ("TUR", False, True),
    ]


def test_an_indefinite_common_noun_alias_is_no_actor():
    found = codes("They formed a coalition of armed groups, the coalition said.")
    assert found == [("COALITION", False, False)]


def test_a_group_calling_itself_by_a_new_name_is_reported_by_that_name():
    found = find_actor_mentions(
        "A group calling itself Saraya al-Thar claimed it.",
        low("A group calling itself Saraya al-Thar claimed it."),
        registry(),
    )
    assert [(m.code, m.known) for m in found] == [("Saraya al-Thar", False)]


def test_the_definite_proxy_phrase_names_the_group_just_mentioned():
    text = "Strikes hit Hezbollah depots after the Iran-backed group's rocket fire."
    found = find_actor_mentions(text, low(text), registry())
    assert [m.code for m in found] == ["HEZBOLLAH", "HEZBOLLAH"]


def test_an_attack_told_first_takes_the_attacker_who_claims_it_next():
    events = read(
        "Three soldiers were killed and nine wounded on Monday when a rocket hit an army "
        "post near Tikrit. The Islamic State group claimed responsibility for the attack."
    )
    attack = one(events, "attack", "ISIS")
    assert (attack.killed, attack.injured, attack.status) == (3, 9, "claimed")
    assert attack.occurred_on == date(2024, 3, 4) and attack.location == "Tikrit"


def test_an_attack_nobody_is_named_for_is_no_event():
    events = read("Two guards were killed on Monday when a bomb went off near Basra.")
    assert not [e for e in events if e.type == "attack"]


def test_an_attack_blamed_on_a_group_in_the_next_sentence_is_that_groups():
    events = read(
        "A drone attack on a base near Erbil on Sunday wounded four soldiers. "
        "The Pentagon blamed Kataib Hezbollah."
    )
    assert one(events, "attack", "KH").injured == 4
    assert one(events, "condemn", "USA").target == "KH"


def test_counts_in_a_sentence_of_their_own_go_to_the_attack_just_told():
    events = read(
        "Turkish warplanes struck PKK hideouts in the Qandil mountains on Tuesday. "
        "Seven militants were killed, the defence ministry said."
    )
    assert one(events, "attack", "TUR").killed == 7


def test_coordinated_subjects_each_act():
    events = read("Jordan, Egypt and Saudi Arabia condemned the Israeli strike on Gaza.")
    assert {e.actor for e in events if e.type == "condemn"} == {"JOR", "EGY", "SAU"}
    assert all(e.target == "ISR" for e in events if e.type == "condemn")


def test_killing_with_an_object_is_an_attack_but_a_passive_count_is_not():
    events = read("ISIS militants killed four Iraqi soldiers near Kirkuk on Monday.")
    attack = one(events, "attack", "ISIS")
    assert (attack.killed, attack.target) == (4, "IRQ")
    assert not read("Four soldiers were killed.")


def test_drones_launched_by_a_group_are_its_attack():
    events = read("Warships shot down 12 drones launched by the Houthis on Monday.")
    attack = one(events, "attack", "HOUTHIS")
    assert attack.occurred_on == date(2024, 3, 4)


def test_a_vow_to_respond_and_a_quoted_punishment_are_threats_with_the_right_sides():
    events = read('Iran\'s president said Israel "will be punished" for the strike.')
    threat = one(events, "threaten", "IRN")
    assert threat.target == "ISR"
    events = read('"We will respond at a time of our choosing," the Pentagon said.')
    assert one(events, "threaten", "USA")


def test_a_verdict_on_someones_act_condemns_them():
    events = read("Iraq's foreign minister said the Turkish strikes were a flagrant violation.")
    condemn = one(events, "condemn", "IRQ")
    assert condemn.target == "TUR"


def test_having_no_involvement_is_a_denial():
    events = read("Russia said it had no involvement in the attack on the convoy.")
    assert one(events, "deny", "RUS").status == "asserted"


def test_forces_expected_to_move_are_planned_and_the_place_does_not_move():
    events = read("About 500 British troops leaving Kuwait are expected to move to Jordan.")
    deploy = one(events, "deploy", "GBR")
    assert deploy.status == "planned" and deploy.location == "Jordan"


def test_a_wire_dateline_names_no_actor_or_place():
    events = read("UNITED NATIONS (AP) - Russia condemned the Turkish raid on Afrin on Monday.")
    condemn = one(events, "condemn", "RUS")
    assert condemn.target == "TUR" and condemn.location is None
    assert not [e for e in events if e.actor == "UN"]


def test_coordinated_verbs_share_their_subject_and_a_drone_launched_is_an_attack():
    events = read(
        "U.S. forces destroyed three Houthi boats and struck a radar site in Hodeidah on "
        "Monday. Separately, an Iran-aligned armed faction launched a drone at a base in Erbil."
    )
    assert {e.actor for e in events if e.type == "attack"} == {"USA", "IRAN_BACKED_MILITIAS"}
    assert one(events, "attack", "IRAN_BACKED_MILITIAS").location == "Erbil"


def test_a_claim_the_accused_denied_is_a_denied_attack_and_an_asserted_denial():
    events = read(
        "The SDF said Turkish drone strikes killed four civilians near Kobani, a claim "
        "Ankara denied."
    )
    assert one(events, "attack", "TUR").status == "denied"
    assert one(events, "deny", "TUR").status == "asserted"


def test_counts_answered_by_an_attack_are_not_its_own():
    events = read(
        "Hezbollah fired rockets at Kiryat Shmona in response to the killing of two of "
        "its commanders."
    )
    assert one(events, "attack", "HEZBOLLAH").killed is None


def test_sending_troops_with_a_figure_is_a_planned_deployment():
    events = read("The Pentagon said it would send an additional 1,500 troops to the region.")
    deploy = one(events, "deploy", "USA")
    assert deploy.status == "planned" and deploy.quantity == {"value": 1500, "unit": "troops"}


def test_a_backer_named_by_a_participle_is_not_the_subject_and_a_convoy_has_its_size():
    events = read(
        "Syrian army units backed by Russian air power captured the town of Saraqeb. "
        "Turkey sent a convoy of 150 armored vehicles into Idlib on Saturday."
    )
    assert one(events, "capture", "SYR").location == "Saraqeb"
    assert one(events, "deploy", "TUR").quantity == {"value": 150, "unit": "vehicles"}


def test_troops_sent_told_by_a_state_body_are_its_own_and_a_news_agency_names_none():
    events = read("The Jordanian army said troops had been sent to the Syrian border.")
    assert one(events, "deploy", "JOR").status == "asserted"
    events = read("CBS reported that 900 troops are being sent to the region.")
    assert not [e for e in events if e.type == "deploy" and e.actor]


def test_a_region_and_its_state_can_address_each_other():
    events = read("The Kurdistan Regional Government called on Baghdad to pay salaries.")
    assert one(events, "demand", "KRG").target == "IRQ"


def test_an_alleged_deed_denied_next_is_denied_and_a_speech_date_is_not_its_date():
    events = read(
        "Kurdish officials accused Turkey of striking a hospital near Kobani, killing five "
        "civilians. Ankara denied the allegation."
    )
    attack = one(events, "attack", "TUR")
    assert (attack.status, attack.killed) == ("denied", 5)
    events = read("Iran on Monday denied any role in a drone attack that hit a tanker off Oman.")
    assert one(events, "deny", "IRN").occurred_on == date(2024, 3, 4)
    assert all(e.occurred_on is None for e in events if e.type == "attack")


def test_denouncing_someone_over_an_airstrike_names_its_attacker():
    events = read(
        "Iran and Russia denounced Israel on Tuesday over an airstrike that destroyed a "
        "building in Damascus, killing seven officers."
    )
    attack = one(events, "attack", "ISR")
    assert (attack.location, attack.killed) == ("Damascus", 7)
    assert {e.actor for e in events if e.type == "condemn"} == {"IRN", "RUS"}
