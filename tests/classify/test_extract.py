"""The whole classifier on short articles written for these tests."""

from datetime import UTC, date, datetime

import pytest

from ingest.classify import CLASSIFIER_VERSION, extract, extract_with_report
from ingest.classify.types import ArticleInput

from .helpers import one, read, registry


def test_denial_of_a_report_yields_a_denial_and_a_denied_deployment():
    events = read(
        "The Jordanian army on Monday denied reports of a deployment of 2,000 Saudi troops "
        "to Jordan."
    )
    deny = one(events, "deny", "JOR")
    assert deny.status == "asserted" and deny.target == "SAU"
    assert deny.occurred_on == date(2024, 3, 4) and deny.date_precision == "day"
    deploy = one(events, "deploy", "SAU")
    assert deploy.status == "denied"
    assert deploy.quantity == {"value": 2000, "unit": "troops"}


def test_ultimatum_with_deadline_and_target():
    events = read("Iraq gave Turkey 72 hours to withdraw its forces from Bashiqa.")
    ultimatum = one(events, "ultimatum", "IRQ")
    assert ultimatum.target == "TUR"
    assert ultimatum.deadline == datetime(2024, 3, 9, tzinfo=UTC)
    # the demanded withdrawal has not happened: it is no withdrawal event
    assert not [e for e in events if e.type == "withdraw"]


def test_passive_attack_with_casualties_place_and_date():
    events = read(
        "A Syrian army checkpoint near Deir ez-Zor was attacked by Islamic State militants "
        "on Sunday, killing three soldiers and wounding five."
    )
    attack = one(events, "attack", "ISIS")
    assert (attack.target, attack.location, attack.country) == ("SYR", "Deir ez-Zor", "SYR")
    assert (attack.killed, attack.injured) == (3, 5)
    assert attack.occurred_on == date(2024, 3, 3)
    assert attack.latitude is not None and attack.classifier_version == CLASSIFIER_VERSION


def test_claimed_and_reported_and_planned():
    events = read(
        "The Houthis claimed responsibility for a missile attack on Eilat. "
        "Israeli jets struck the port of Hodeidah, Reuters reported. "
        "Britain will deploy 300 marines to Cyprus."
    )
    assert one(events, "attack", "HOUTHIS").status == "claimed"
    assert one(events, "attack", "ISR").status == "reported"
    planned = one(events, "deploy", "GBR")
    assert planned.status == "planned" and planned.location == "Cyprus"


def test_force_level_and_its_elided_sibling():
    events = read("About 3,000 British troops are stationed in Kuwait, and 400 in Qatar.")
    levels = sorted(
        (e.location, (e.quantity or {}).get("value")) for e in events if e.type == "force_level"
    )
    assert levels == [("Kuwait", 3000), ("Qatar", 400)]


def test_mentions_of_one_happening_are_merged():
    events = read(
        "Russian jets bombed rebel positions in Idlib on Tuesday. "
        "The strikes killed 11 fighters, a monitor said."
    )
    attacks = [e for e in events if e.type == "attack"]
    assert len(attacks) == 1
    assert attacks[0].killed == 11 and attacks[0].location == "Idlib"


def test_background_and_speculation_give_no_events():
    events = read(
        "In 2014 the Islamic State seized Mosul. Analysts say Iran could attack US bases. "
        "Turkey did not send troops."
    )
    assert events == []


def test_unknown_group_is_reported_by_name():
    events = read("Saraya Qamar al-Zaman fighters attacked a Turkish base near Bashiqa.")
    attack = one(events, "attack", "Saraya Qamar al-Zaman")
    assert attack.target == "TUR" and attack.location == "Bashiqa"


def test_condemnation_with_its_target():
    events = read("The Arab League condemned the Israeli raid on Damascus.")
    condemn = one(events, "condemn", "ARAB_LEAGUE")
    assert condemn.target == "ISR"


def test_deterministic():
    article = ArticleInput("d", "Strike", "US jets struck Kataib Hezbollah near Al-Qa'im.")
    assert extract(article, registry()) == extract(article, registry())


def test_robust_inputs_give_no_events_and_a_warning():
    cases = [
        ArticleInput("empty", "", ""),
        ArticleInput(
            "fr",
            "Frappes",
            "Les avions ont frappé des positions dans le nord de la Syrie, selon le ministère.",
        ),
        ArticleInput("html", "<b></b>", "<html><body><div>   </div></body></html>"),
    ]
    for article in cases:
        result = extract_with_report(article, registry())
        assert result.events == [] and result.warnings, article.id


def test_huge_input_is_capped_and_still_read():
    body = "Turkish jets struck PKK positions near Sirnak on Monday. " + ("Quiet day. " * 20000)
    result = extract_with_report(ArticleInput("huge", "Strikes", body), registry())
    assert any("cut" in w for w in result.warnings)
    assert [e.actor for e in result.events] == ["TUR"]


def test_html_article_is_read():
    body = (
        "<html><body><article><p>Israeli jets struck targets near Damascus on Monday, "
        "the Syrian army said in a statement carried by state media.</p><p>Syrian air "
        "defences responded, according to the statement released later that day.</p>"
        "</article></body></html>"
    )
    result = extract_with_report(ArticleInput("h", "Raid", body, date(2024, 3, 6)), registry())
    assert any("HTML" in w for w in result.warnings)
    assert [(e.type, e.actor) for e in result.events] == [("attack", "ISR")]


def test_rocket_launch_by_a_speaker_who_says_it():
    events = read("Hezbollah said it had launched rockets at an Israeli army base near Metula.")
    attack = one(events, "attack", "HEZBOLLAH")
    assert attack.target == "ISR"


def test_coordinated_subjects_and_agreement_partners():
    events = read(
        "The United States and Britain carried out air strikes on Houthi targets in Yemen. "
        "Moscow and Ankara agreed to continue talks on Idlib."
    )
    attack = one(events, "attack", "USA")
    assert (attack.target, attack.location) == ("HOUTHIS", "Yemen")
    assert one(events, "agree", "RUS").target == "TUR"


def test_counts_belong_to_their_own_attack():
    events = read(
        "Turkish jets struck PKK targets in northern Iraq on Saturday, a day after an attack "
        "in Ankara killed five people."
    )
    attack = one(events, "attack", "TUR")
    assert (attack.target, attack.location, attack.killed) == ("PKK", "Iraq", None)


def test_planned_offensives_relative_clauses_and_sentence_pronouns():
    events = read(
        "Washington began withdrawing troops from Syria, clearing the way for a Turkish "
        "offensive against Kurdish-led forces that Washington had backed. "
        "Turkey's President Recep Tayyip Erdogan spoke in Ankara. "
        "He gave the YPG a week to leave the area. "
        "The European Union and the Arab League condemned the planned incursion."
    )
    assert one(events, "attack", "TUR").status == "planned"
    assert one(events, "support", "USA").target == "SDF"
    ultimatum = one(events, "ultimatum", "TUR")
    assert ultimatum.target == "YPG"
    assert ultimatum.deadline == datetime(2024, 3, 13, tzinfo=UTC)
    assert one(events, "condemn", "EU").target == "TUR"


def test_warning_that_is_no_threat_and_negated_objects_are_no_events():
    events = read(
        "The SDF warned that the fight against IS would suffer. "
        "The Pentagon said it did not endorse a Turkish operation."
    )
    assert events == []


def test_visits_and_arrests_are_not_deployments_or_captures():
    events = read(
        "Iran's foreign minister arrived in Baghdad on Monday. "
        "Iraqi forces captured a senior ISIS leader in a raid. "
        "A convoy of Turkish soldiers arrived in Bashiqa."
    )
    assert [(e.type, e.actor) for e in events if e.type in ("deploy", "capture")] == [
        ("deploy", "TUR")
    ]


def test_an_earlier_attack_named_in_passing_keeps_its_own_dead():
    events = read(
        "US jets struck militia depots in Iraq on Friday in retaliation for the drone attack "
        "that killed three American soldiers in Jordan. "
        "The strikes hit facilities used by the Quds Force, officials said. "
        "Live updates: Iraq militia attacks"
    )
    (attack,) = [e for e in events if e.type == "attack"]
    assert (attack.actor, attack.target, attack.killed) == ("USA", "IRGC", None)


@pytest.mark.timeout(60)
def test_run_on_input_stays_bounded():
    body = "Turkish jets struck the PKK and " * 2000  # one 64k "sentence"
    result = extract_with_report(ArticleInput("run-on", "T", body), registry())
    found = {(e.type, e.actor, e.target) for e in result.events}
    assert ("attack", "TUR", "PKK") in found and len(result.events) <= 2
