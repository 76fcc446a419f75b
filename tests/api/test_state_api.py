"""The state endpoints: seed figures, time travel, filters, roll-ups, ETags, errors, auth."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.projections import request_catch_up
from events.projections.rules.incidents import IncidentRow
from registry.models import Actor, ActorKind
from tests.projections.incident_log import follow_up, report
from tests.projections.scenarios import seed_like_world
from tests.support.projections import project_everything

pytestmark = pytest.mark.django_db(transaction=True)

STATE_URLS = [
    "/api/incidents/",
    "/api/forces/",
    "/api/stances/",
    "/api/ultimatums/",
    "/api/actors/USA/",
    "/api/actors/TUR/",
    "/api/actors/",
]


def get(client: APIClient, url: str, **query: Any) -> Any:
    response = client.get(url, query)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def world() -> Any:
    built = seed_like_world()
    report("attack", "USA", "KH", occurred_on="2024-01-04", killed=2)
    report("condemn", "IRQ", "USA", occurred_on="2024-01-05", needs_review=True)
    project_everything()
    return built


def test_seed_figures_through_the_api(world: Any) -> None:
    client = APIClient()
    [us] = get(client, "/api/forces/", actor="USA", country="IRQ", as_of="2024-06-30")["results"]
    assert (us["low"], us["high"], us["unit"]) == (2000, 2500, "troops")
    assert sorted(s["outlet"] for e in us["estimates"] for s in e["sources"]) == [
        "AiBot",
        "Weekly Roundup",
    ]
    assert str(world.denied_1500) not in us["incident_ids"]

    turkey = get(client, "/api/actors/TUR/")
    assert [(f["place"], f["low"], f["unit"], f["since"][:7]) for f in turkey["forces"]] == [
        ("Mosul", 1, "battalion", "2015-12")
    ]
    [ultimatum] = get(client, "/api/ultimatums/")["results"]
    assert (ultimatum["issuer"], ultimatum["addressee"]) == ("IRQ", "TUR")
    assert ultimatum["deadline"].startswith("2015-12-08")
    [as_issued] = get(client, "/api/ultimatums/", status="open", as_of="2015-12-07")["results"]
    assert as_issued["issuer"] == "IRQ"


def test_time_travel_from_the_log_agrees_with_the_tables_now(world: Any) -> None:
    client = APIClient()
    now = {"as_of": timezone.now().date().isoformat(), "known_at": timezone.now().isoformat()}
    for url in [*STATE_URLS, f"/api/incidents/{world.us_2000}/"]:
        assert get(client, url) == get(client, url, **now), url


def test_known_at_forgets_what_was_recorded_later(world: Any) -> None:
    client = APIClient()
    before = timezone.now()
    follow_up(
        "IncidentCorrected",
        world.us_2500,
        changes={"quantity": {"value": 3000, "unit": "troops"}},
        reason="a later statement",
    )
    project_everything()
    assert get(client, "/api/forces/", actor="USA")["results"][0]["high"] == 3000
    then = get(client, "/api/forces/", actor="USA", known_at=before.isoformat())
    assert then["results"][0]["high"] == 2500
    detail = get(client, f"/api/incidents/{world.us_2500}/", known_at=before.isoformat())
    assert [e["type"] for e in detail["history"]] == ["IncidentReported"]


def test_incident_filters_and_detail(world: Any) -> None:
    client = APIClient()

    def ids(**query: Any) -> set[str]:
        return {i["incident_id"] for i in get(client, "/api/incidents/", **query)["results"]}

    assert ids(type="force_level") == {str(world.us_2000), str(world.us_2500)}
    assert ids(actor="TUR") == {str(world.turkish_battalion)}
    assert ids(target="TUR", type="ultimatum") == {str(world.iraqi_ultimatum)}
    assert ids(country="irq", since="2024-01-01", until="2024-01-20") == {
        str(world.us_2000),
        str(world.denied_1500),
    }
    assert len(ids(needs_review="true")) == 1
    assert ids(source="AiBot") == ids(source="5") == {str(world.us_2000)}
    assert ids(status="retracted") == set()
    assert ids(source="9" * 30) == set()  # not an article id PostgreSQL could hold

    detail = get(client, f"/api/incidents/{world.us_2000}/")
    assert detail["sources"][0]["evidence"] == "around 2,000 US troops in Iraq"
    assert detail["history"][0]["type"] == "IncidentReported"


def test_children_roll_into_their_parent() -> None:
    Actor.objects.create(code="PMF", name="Popular Mobilization Forces", kind=ActorKind.MILITIA)
    Actor.objects.create(
        code="KH", name="Kataib Hezbollah", kind=ActorKind.MILITIA, parent_id="PMF"
    )
    report("attack", "KH", "USA", occurred_on="2024-01-20")
    report("threaten", "PMF", "USA", occurred_on="2024-01-21")
    project_everything()
    client = APIClient()

    alone = get(client, "/api/actors/PMF/")
    assert [(s["target"], s["counts"]) for s in alone["stances"]] == [("USA", {"threaten": 1})]
    rolled = get(client, "/api/actors/PMF/", include_children="1")
    assert rolled["children"] == ["KH"]
    assert [(s["target"], s["counts"]) for s in rolled["stances"]] == [
        ("USA", {"attack": 1, "threaten": 1})
    ]
    assert {i["actor"] for i in rolled["timeline"]} == {"PMF"}


def test_etag_gives_304_until_the_state_changes(world: Any) -> None:
    client = APIClient()
    first = client.get("/api/forces/")
    tag = first["ETag"]
    again = client.get("/api/forces/", HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again.content == b""

    report("deploy", "USA", "IRQ", country="IRQ", quantity={"value": 100, "unit": "troops"})
    project_everything()
    changed = client.get("/api/forces/", HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200 and changed["ETag"] != tag
    # The answer cached under the old tag is not served under the new one.
    assert changed.json()["count"] == first.json()["count"] + 1


def test_a_weakened_etag_still_gives_304(world: Any) -> None:
    """A proxy or a compressing middleware may hand the client W/"..." for our tag:
    If-None-Match compares weakly, so it still matches; another tag does not."""
    client = APIClient()
    tag = client.get("/api/stances/")["ETag"]
    weak = client.get("/api/stances/", HTTP_IF_NONE_MATCH=f"W/{tag}")
    assert weak.status_code == 304 and weak["ETag"] == tag
    listed = client.get("/api/stances/", HTTP_IF_NONE_MATCH=f'"other", W/{tag}')
    assert listed.status_code == 304
    other = client.get("/api/stances/", HTTP_IF_NONE_MATCH='W/"other"')
    assert other.status_code == 200


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/api/forces/?as_of=2024-13-01", 400, "as_of"),
        ("/api/stances/?known_at=yesterday", 400, "known_at"),
        ("/api/incidents/?since=soon", 400, "since"),
        ("/api/incidents/?status=lost", 400, "status"),
        ("/api/ultimatums/?status=maybe", 400, "status"),
        ("/api/incidents/?offset=100000000000000000000", 400, "offset"),
        ("/api/actors/NOBODY/", 404, "NOBODY"),
        ("/api/incidents/not-a-uuid/", 404, "not-a-uuid"),
        ("/api/incidents/00000000-0000-0000-0000-000000000000/", 404, "no incident"),
    ],
)
def test_bad_input_is_a_json_error_never_a_500(url: str, status: int, words: str) -> None:
    response = APIClient().get(url)
    assert response.status_code == status
    assert words in response.json()["error"]


def test_reads_need_a_token_unless_anonymous_reads_are_on(settings: Any) -> None:
    settings.TRACKER_ANONYMOUS_READS = False
    client = APIClient()
    refused = client.get("/api/forces/")
    assert refused.status_code == 401 and "credentials" in refused.json()["error"]
    token = Token.objects.create(user=User.objects.create_user("reader", password="x-long-pw"))
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/forces/").status_code == 200
    settings.TRACKER_ANONYMOUS_READS = True
    assert APIClient().get("/api/forces/").status_code == 200


def test_an_append_wakes_the_projector_after_commit() -> None:
    with CaptureQueriesContext(transaction.get_connection()) as queries:
        with transaction.atomic():
            incident = report("condemn", "IRQ", "USA", occurred_on="2024-01-05")
            request_catch_up()
            assert not any("events_checkpoint" in q["sql"] for q in queries.captured_queries)
        # eager Celery (the embedded default): the projector ran right after the commit
        assert any("events_checkpoint" in q["sql"] for q in queries.captured_queries)
    project_everything()
    assert IncidentRow.objects.filter(incident_id=incident).exists()


def test_future_known_at_and_old_as_of_are_accepted(world: Any) -> None:
    client = APIClient()
    later = (timezone.now() + timedelta(days=1)).isoformat()
    assert get(client, "/api/stances/", known_at=later) == get(client, "/api/stances/")
    assert get(client, "/api/forces/", as_of="1990-01-01") == {
        "count": 0,
        "next": None,
        "results": [],
    }


def test_pages_of_incidents_agree_between_tables_and_log() -> None:
    for _ in range(5):
        report("condemn", "IRQ", "USA", occurred_on="2024-01-05")
    project_everything()
    client = APIClient()
    today = timezone.now().date().isoformat()
    for offset in range(0, 6, 2):
        tables = get(client, "/api/incidents/", limit=2, offset=offset)
        log = get(client, "/api/incidents/", limit=2, offset=offset, as_of=today)
        assert (tables["count"], tables["results"]) == (log["count"], log["results"])
        assert tables["count"] == 5
        if offset + 2 < 5:  # the link keeps the query and moves the offset
            assert f"offset={offset + 2}" in log["next"] and f"as_of={today}" in log["next"]
        else:
            assert tables["next"] is None and log["next"] is None
    everything = get(client, "/api/incidents/", limit=5)["results"]
    assert [i["incident_id"] for i in everything] == sorted(i["incident_id"] for i in everything)


def walk(client: APIClient, url: str, **query: Any) -> list[dict[str, Any]]:
    """Every row of a paged list, following `next` links to the end."""
    page = get(client, url, **query)
    rows = page["results"]
    while page["next"]:
        page = get(client, page["next"])
        rows += page["results"]
    assert len(rows) == page["count"]
    return list(rows)


def test_state_lists_are_paged_and_the_pages_add_up(world: Any) -> None:
    client = APIClient()
    for url in ["/api/forces/", "/api/stances/", "/api/incidents/"]:
        everything = get(client, url, limit=500)
        assert everything["next"] is None
        assert everything["count"] == len(everything["results"]) > 1, url
        assert walk(client, url, limit=1) == everything["results"], url
        today = timezone.now().date().isoformat()
        assert walk(client, url, limit=1, as_of=today) == everything["results"], url
    assert get(client, "/api/stances/", limit=1)["next"].endswith("offset=1")


def test_ultimatum_status_filters_agree_with_the_log(world: Any) -> None:
    client = APIClient()
    report("ultimatum", "USA", "KH", occurred_on="2024-01-06", deadline="2999-01-01T00:00:00Z")
    report("ultimatum", "USA", "HEZBOLLAH", occurred_on="2024-01-07")  # no deadline: open
    project_everything()
    now = {"as_of": timezone.now().date().isoformat(), "known_at": timezone.now().isoformat()}
    statuses = {}
    for status in ["open", "expired", "complied", "escalated"]:
        tables = walk(client, "/api/ultimatums/", status=status, limit=1)
        assert tables == walk(client, "/api/ultimatums/", status=status, limit=1, **now)
        assert {u["status"] for u in tables} <= {status}
        statuses[status] = [(u["issuer"], u["addressee"]) for u in tables]
    assert statuses["open"] == [("USA", "KH"), ("USA", "HEZBOLLAH")]
    assert statuses["expired"] == [("IRQ", "TUR")]
    assert get(client, "/api/ultimatums/", actor="HEZBOLLAH")["count"] == 1


def test_an_actors_page_summarises_and_links_to_the_full_lists(world: Any) -> None:
    client = APIClient()
    usa = get(client, "/api/actors/USA/")
    assert {f["unit"] for f in usa["forces"]} == {"troops"}
    assert "estimates" not in usa["forces"][0]  # the full row is one link away
    forces = get(client, usa["links"]["forces"])["results"]
    assert [(f["country"], f["low"], f["high"]) for f in forces] == [
        (f["country"], f["low"], f["high"]) for f in usa["forces"]
    ]
    stances = get(client, usa["links"]["stances"])["results"]
    assert {(s["target"], s["score"]) for s in usa["stances"]} <= {
        (s["target"], s["score"]) for s in stances
    }
    towards = get(client, usa["links"]["stances_towards"])["results"]
    assert {s["actor"] for s in usa["stances_towards"]} == {s["actor"] for s in towards} == {"IRQ"}
    incidents = walk(client, usa["links"]["incidents"])
    assert all("USA" in (i["actor"], i["target"]) for i in incidents)
    newest = sorted(incidents, key=lambda i: (i["world_date"], i["incident_id"]), reverse=True)
    assert [t["incident_id"] for t in usa["timeline"]] == [i["incident_id"] for i in newest]


def test_only_answers_that_age_with_the_clock_change_their_etag_with_it(world: Any) -> None:
    client = APIClient()
    urls = ["/api/incidents/", "/api/forces/", "/api/stances/", "/api/ultimatums/"]
    now = {url: client.get(url)["ETag"] for url in urls}
    later = timezone.now() + timedelta(minutes=2)
    with mock.patch("events.selectors.common.timezone.now", return_value=later):
        two_minutes_on = {url: client.get(url)["ETag"] for url in urls}
    unchanged = {url for url in urls if now[url] == two_minutes_on[url]}
    # Incidents and forces move only with the log; an ultimatum can expire any minute.
    # (Stance scores change by the day: unchanged unless the two minutes crossed midnight.)
    assert {"/api/incidents/", "/api/forces/"} <= unchanged
    assert "/api/ultimatums/" not in unchanged
