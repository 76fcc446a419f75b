"""Which database answers: read API requests a replica (round robin), everything else the
primary; a replica that does not answer is passed over; /healthz and the settings.

Two "replicas" here are second connections to the test database (not standbys, so their
lag is 0); the real standby is in test_standby_cursor.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.http import StreamingHttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from bench.processes import ROOT, free_port
from events import replicas
from events.models import Event
from tests.support import standby
from tracker.middleware import ReplicaReadsMiddleware, reads_from_replica

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def aliases(settings: Any) -> Iterator[Any]:
    """replica_a and replica_b on the test database, `down` on a port nobody listens on."""
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    same = {key: primary[key] for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")}
    configs = {
        "replica_a": dict(same),
        "replica_b": dict(same),
        "down": {**same, "PORT": free_port(), "OPTIONS": {"connect_timeout": 2}},
    }
    settings.TRACKER_REPLICA_DATABASES = ["replica_a", "replica_b"]
    with standby.database_aliases(configs):
        yield settings


def test_read_api_requests_take_turns_on_the_replicas(aliases: Any) -> None:
    client = APIClient()
    answered_from = []
    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary:
        for _ in range(4):
            response = client.get("/api/events/")
            assert response.status_code == 200
            assert response.headers["X-Replica-Lag"] == "0.000"  # not a standby: no lag
            answered_from.append(response.headers["X-Read-From"])
    assert answered_from in (["replica_a", "replica_b"] * 2, ["replica_b", "replica_a"] * 2)
    assert len(on_primary) == 0, [q["sql"] for q in on_primary.captured_queries]


def test_the_log_read_runs_on_the_replica(aliases: Any) -> None:
    aliases.TRACKER_REPLICA_DATABASES = ["replica_b"]
    with CaptureQueriesContext(connections["replica_b"]) as on_replica:
        response = APIClient().get("/api/incidents/")
    assert response.status_code == 200
    assert response.headers["X-Read-From"] == "replica_b"
    assert any("events_proj" in q["sql"] for q in on_replica.captured_queries)


def test_writes_the_ingest_api_and_the_live_log_stay_on_the_primary(aliases: Any) -> None:
    response = APIClient().post("/api/ingest/nofeed/articles", {}, format="json")
    assert 400 <= response.status_code < 500
    assert "X-Read-From" not in response.headers
    for path in ("/api/events/stream", "/api/events/?wait=1"):
        assert not reads_from_replica(RequestFactory().get(path)), path
    assert reads_from_replica(RequestFactory().get("/api/events/?after=1-2"))
    with replicas.replica_reads() as lag:
        assert lag is not None and replicas.read_alias() == lag.alias != DEFAULT_DB_ALIAS
        assert router.db_for_read(Event) == lag.alias
        assert router.db_for_write(Event) == DEFAULT_DB_ALIAS
        with transaction.atomic():
            assert router.db_for_read(Event) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Event) == DEFAULT_DB_ALIAS
    assert router.allow_migrate("replica_a", "events") is False


def test_a_replica_that_does_not_answer_is_passed_over(aliases: Any) -> None:
    client = APIClient()
    aliases.TRACKER_REPLICA_DATABASES = ["down", "replica_a"]
    froms = {client.get("/api/events/").headers["X-Read-From"] for _ in range(2)}
    assert froms == {"replica_a"}
    aliases.TRACKER_REPLICA_DATABASES = ["down"]
    response = client.get("/api/events/")
    assert response.status_code == 200
    assert response.headers["X-Read-From"] == DEFAULT_DB_ALIAS
    assert "X-Replica-Lag" not in response.headers


def test_healthz_reports_each_replica(aliases: Any) -> None:
    client = APIClient()
    healthy = client.get("/healthz")
    assert healthy.status_code == 200
    body = healthy.json()
    assert body["status"] == "ok"
    assert [(r["alias"], r["in_recovery"], r["events_behind"]) for r in body["replicas"]] == [
        ("replica_a", False, 0),
        ("replica_b", False, 0),
    ]
    aliases.TRACKER_REPLICA_DATABASES = ["replica_a", "down"]
    degraded = client.get("/healthz")
    assert degraded.status_code == 200
    assert degraded.json()["status"] == "degraded"
    assert "error" in degraded.json()["replicas"][1]


def test_a_streamed_body_is_produced_with_its_reads_on_the_replica(aliases: Any) -> None:
    aliases.TRACKER_REPLICA_DATABASES = ["replica_b"]

    def chunks() -> Iterator[bytes]:
        for _ in range(3):
            yield replicas.read_alias().encode() + b"\n"

    middleware = ReplicaReadsMiddleware(lambda request: StreamingHttpResponse(chunks()))
    response = middleware(RequestFactory().get("/api/export/incidents.csv"))
    assert response.headers["X-Read-From"] == "replica_b"
    assert isinstance(response, StreamingHttpResponse)
    assert b"".join(response.streaming_content) == b"replica_b\n" * 3  # type: ignore[arg-type]
    assert replicas.read_alias() == DEFAULT_DB_ALIAS


def test_an_export_copies_its_rows_from_the_replica(aliases: Any) -> None:
    aliases.TRACKER_REPLICA_DATABASES = ["replica_b"]
    connections[DEFAULT_DB_ALIAS].close()
    response = APIClient().get("/api/export/incidents.csv")
    assert response.status_code == 200
    assert response.headers["X-Read-From"] == "replica_b"
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert body.startswith(b"incident_id,event_date,")
    # The body's COPY ran on replica_b's connection: the primary's was never opened.
    assert connections[DEFAULT_DB_ALIAS].connection is None


@pytest.mark.parametrize(
    ("urls", "message"),
    [
        ("mysql://h/db", "is not a database of the primary's kind"),
        ("postgres://h:notaport/db", "Port could not be cast"),
    ],
)
def test_a_bad_replica_url_stops_start_up_with_a_message(urls: str, message: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "DATABASE_REPLICA_URLS": urls, "DJANGO_SETTINGS_MODULE": "tracker.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert message in done.stderr


def test_replica_urls_become_aliases_that_mirror_the_primary_in_tests() -> None:
    from tracker.settings import replica_databases

    primary = {"ENGINE": "django.db.backends.postgresql", "CONN_MAX_AGE": 60}
    configured = replica_databases(
        ["postgres://u@replica-1:5432/tracker", "postgres://u@replica-2:5433/tracker"], primary
    )
    assert list(configured) == ["replica_1", "replica_2"]
    assert configured["replica_2"]["HOST"] == "replica-2"
    assert configured["replica_2"]["PORT"] == 5433
    assert configured["replica_1"]["TEST"] == {"MIRROR": "default"}
    assert configured["replica_1"]["CONN_MAX_AGE"] == 60
