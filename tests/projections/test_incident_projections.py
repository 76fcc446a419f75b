"""The incident read models on a seed-shaped world and on corrections, retractions, merges."""

from __future__ import annotations

from datetime import date

import pytest

from events.selectors import (
    NOW,
    TimePoint,
    forces_page,
    incident_detail,
    stances_page,
    ultimatums_page,
)
from registry.models import Place, PlacePrecision
from tests.projections.incident_log import follow_up, report, source
from tests.projections.scenarios import seed_like_world
from tests.projections.test_projection_equals_fold import assert_tables_equal_the_fold
from tests.support.projections import project_everything

pytestmark = pytest.mark.django_db(transaction=True)


def test_us_forces_in_iraq_are_a_range_and_the_denied_deployment_does_not_count() -> None:
    world = seed_like_world()
    project_everything()

    [country_wide] = [
        f for f in forces_page(NOW, actor="USA", country="IRQ").results if f["unit"] == "troops"
    ]
    assert (country_wide["low"], country_wide["high"]) == (2000, 2500)
    sides = {e["size"]: [s["outlet"] for s in e["sources"]] for e in country_wide["estimates"]}
    assert sides == {2000: ["AiBot"], 2500: ["Weekly Roundup"]}
    assert str(world.denied_1500) not in country_wide["incident_ids"]

    mid_2024 = forces_page(TimePoint(as_of=date(2024, 6, 30)), actor="USA", country="IRQ").results
    assert [(f["low"], f["high"]) for f in mid_2024] == [(2000, 2500)]
    early_2024 = forces_page(TimePoint(as_of=date(2024, 2, 1)), actor="USA", country="IRQ").results
    assert [(f["low"], f["high"]) for f in early_2024] == [(2000, 2000)]


def test_turkey_has_a_battalion_near_mosul_from_december_2015() -> None:
    seed_like_world()
    project_everything()

    [row] = forces_page(NOW, actor="TUR").results
    assert (row["place"], row["unit"], row["low"], row["high"]) == ("Mosul", "battalion", 1, 1)
    assert row["since"] == "2015-12-04"


def test_iraqs_ultimatum_expired_and_a_withdrawal_before_the_deadline_means_complied() -> None:
    world = seed_like_world()
    project_everything()
    [ultimatum] = ultimatums_page(NOW).results
    assert (ultimatum["issuer"], ultimatum["addressee"], ultimatum["status"]) == (
        "IRQ",
        "TUR",
        "expired",
    )
    assert "48 hours" in ultimatum["demand"]
    as_issued = ultimatums_page(TimePoint(as_of=date(2015, 12, 7))).results
    assert [u["status"] for u in as_issued] == ["open"]

    withdrawal = report("withdraw", "TUR", "IRQ", occurred_on="2015-12-07")
    project_everything()
    [ultimatum] = ultimatums_page(NOW).results
    assert (ultimatum["status"], ultimatum["resolved_by"]) == ("complied", str(withdrawal))

    follow_up("IncidentRetracted", withdrawal, reason="misread the article")
    report("attack", "IRQ", "TUR", occurred_on="2015-12-10")
    project_everything()
    assert [u["status"] for u in ultimatums_page(NOW).results] == ["escalated"]
    assert ultimatums_page(NOW, status="open").results == []
    assert world.iraqi_ultimatum


def test_stances_weigh_decay_and_clamp() -> None:
    report("attack", "USA", "KH", occurred_on="2024-01-04")
    report("attack", "USA", "KH", occurred_on="2024-01-04")
    report("condemn", "IRQ", "USA", occurred_on="2024-01-05")
    report("support", "KRG", "TUR", occurred_on="2015-12-08", status="planned")
    project_everything()

    on_the_day = TimePoint(as_of=date(2024, 1, 5))
    scores = {(s["actor"], s["target"]): s["score"] for s in stances_page(on_the_day).results}
    assert scores[("USA", "KH")] == -10.0  # -20 clamped
    assert scores[("IRQ", "USA")] == -2.0
    assert ("KRG", "TUR") not in scores  # planned: did not happen
    half_life_later = TimePoint(as_of=date(2024, 7, 3))  # 180 days after the condemnation
    later = {(s["actor"], s["target"]): s for s in stances_page(half_life_later).results}
    assert later[("IRQ", "USA")]["score"] == -1.0
    assert later[("USA", "KH")]["counts"] == {"attack": 2}


def test_corrections_retractions_and_merges_reach_every_read_model() -> None:
    first = report(
        "deploy",
        "USA",
        "IRQ",
        country="IRQ",
        quantity={"value": 750, "unit": "troops"},
        occurred_on="2020-01-01",
        source=source(article_id=2, outlet="The New Arab"),
    )
    duplicate = report(
        "deploy",
        "USA",
        "IRQ",
        country="IRQ",
        quantity={"value": 750, "unit": "troops"},
        occurred_on="2020-01-01",
        source=source(article_id=9, outlet="Al Jazeera"),
    )
    project_everything()
    assert [f["high"] for f in forces_page(NOW, actor="USA").results] == [1500]

    follow_up("IncidentMerged", duplicate, into=str(first))
    follow_up(
        "IncidentCorroborated",
        first,
        source=source(article_id=9, outlet="Al Jazeera"),
        merged_from=str(duplicate),
    )
    follow_up(
        "IncidentCorrected",
        first,
        changes={"quantity": {"value": 800, "unit": "troops"}},
        reason="the statement says about 800",
    )
    follow_up("IncidentVerified", first)
    project_everything()

    assert [f["high"] for f in forces_page(NOW, actor="USA").results] == [800]
    survivor = incident_detail(str(first), NOW)
    assert [s["outlet"] for s in survivor["sources"]] == ["The New Arab", "Al Jazeera"]
    assert survivor["verified"] and survivor["quantity"]["value"] == 800
    assert [e["type"] for e in survivor["history"]] == [
        "IncidentReported",
        "IncidentCorroborated",
        "IncidentCorrected",
        "IncidentVerified",
    ]
    assert incident_detail(str(duplicate), NOW)["status"] == "merged"

    follow_up("IncidentRetracted", first, reason="the article was about Kuwait")
    project_everything()
    assert forces_page(NOW, actor="USA").results == []


def test_a_registry_edit_moves_force_rows_at_once_without_a_rebuild() -> None:
    report(
        "force_level",
        "USA",
        country="IRQ",
        location="Mesopotamia",
        quantity={"value": 900, "unit": "troops"},
        occurred_on="2024-05-01",
    )
    project_everything()
    [at_the_place] = forces_page(NOW, actor="USA").results
    assert (at_the_place["place"], at_the_place["low"]) == ("Mesopotamia", 900)

    # An editor says the name means the whole country (as "Iraq" does).
    Place.objects.create(name="Mesopotamia", country="IRQ", precision=PlacePrecision.COUNTRY)

    [country_wide] = forces_page(NOW, actor="USA").results
    assert (country_wide["place"], country_wide["low"], country_wide["high"]) == ("", 900, 900)
    assert_tables_equal_the_fold()  # the fold, with the registry as it now is


@pytest.mark.postgres  # SQLite's own upper() knows only ASCII
def test_place_names_match_without_regard_to_case_beyond_ascii() -> None:
    """Codes compare byte by byte (COLLATE "C"), place names keep the database's collation:
    an editor's search or a country-wide name in another case still finds them."""
    report("attack", "TUR", "PKK", location="Ürümqi", country="CHN", occurred_on="2024-03-01")
    project_everything()
    from events.projections.rules.incidents import IncidentRow

    assert IncidentRow.objects.filter(location__iexact="ürümqi").count() == 1
    assert IncidentRow.objects.filter(actor__iexact="tur").count() == 1
