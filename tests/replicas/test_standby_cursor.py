"""The log cursor walked on a real hot standby: nothing skipped, nothing seen twice.

A throwaway primary and a standby streaming from it (tests/support/standby.py); eight
writer processes append on the primary with transactions that sleep and sometimes roll
back, so commits land out of position order; meanwhile this process walks
`GET /api/events/` through the read API, whose reads the router sends to the standby.
"""

from __future__ import annotations

import json
import multiprocessing
import time
from collections.abc import Iterator
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.support import standby

# No django_db mark: the test reads only through the standby's alias, never the test
# database, and Django's test case would refuse an alias that appears after it started.
pytestmark = [pytest.mark.postgres, pytest.mark.slow]

WRITERS = 8
WRITE_SECONDS = 6.0
ALIAS = "standby_under_test"


@pytest.fixture(scope="module")
def pair() -> Iterator[tuple[standby.Server, standby.Server]]:
    with standby.streaming_pair() as servers:
        yield servers


@pytest.fixture
def reads_on_standby(
    pair: tuple[standby.Server, standby.Server], settings: object, django_db_blocker: Any
) -> Iterator[standby.Server]:
    """The standby as the only read replica (what DATABASE_REPLICA_URLS would configure)."""
    server = pair[1]
    config = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": standby.DATABASE,
        "USER": "postgres",
        "HOST": "127.0.0.1",
        "PORT": server.port,
    }
    settings.TRACKER_REPLICA_DATABASES = [ALIAS]  # type: ignore[attr-defined]
    with standby.database_aliases({ALIAS: config}), django_db_blocker.unblock():
        yield server


class NaiveReader:
    """`position > last seen` on the standby: what a reader without the horizon sees."""

    def __init__(self, server: standby.Server) -> None:
        self.db = server.connect()
        self.last = 0
        self.seen: set[str] = set()

    def drain(self) -> None:
        rows = self.db.execute(
            "SELECT position, event_id::text FROM events_event WHERE position > %s "
            "ORDER BY position",
            [self.last],
        ).fetchall()
        for position, event_id in rows:
            self.seen.add(event_id)
            self.last = position


def test_cursor_walk_on_a_hot_standby_under_eight_writers(
    pair: tuple[standby.Server, standby.Server], reads_on_standby: standby.Server
) -> None:
    primary, replica = pair
    client = APIClient()
    seen: list[dict] = []
    lags: list[str] = []
    cursor = ""

    def walk() -> None:
        nonlocal cursor
        while True:
            response = client.get("/api/events/", {"after": cursor, "limit": "200"})
            assert response.status_code == 200, response.content
            assert response.headers["X-Read-From"] == ALIAS
            lags.append(response.headers["X-Replica-Lag"])
            page = response.json()
            if not page["results"]:
                return
            seen.extend(page["results"])
            cursor = page["next"]

    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [
        ctx.Process(target=standby.write_on, args=(primary.url(), w, WRITE_SECONDS, out))
        for w in range(WRITERS)
    ]
    for p in procs:
        p.start()
    naive = NaiveReader(replica)
    committed: list[tuple[str, str, int]] = []
    pending = len(procs)
    walks = 0
    while pending:
        walk()
        naive.drain()
        walks += 1
        while not out.empty():
            committed += out.get()
            pending -= 1
        time.sleep(0.01)
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    standby.wait_until_replayed(primary, replica)
    walk()
    naive.drain()
    naive.db.close()

    with primary.connect() as db:
        on_primary = {r[0] for r in db.execute("SELECT event_id::text FROM events_event")}
    seen_ids = [e["event_id"] for e in seen]
    committed_ids = {c[0] for c in committed}
    skipped_by_naive = len(committed_ids - naive.seen)
    print(
        f"\nstandby walk: {len(committed_ids)} events committed by {WRITERS} writers in "
        f"{WRITE_SECONDS:g}s, {len(seen_ids)} read through the API on the standby in "
        f"{walks} walks ({len(seen_ids) - len(set(seen_ids))} twice, "
        f"{len(committed_ids - set(seen_ids))} skipped); a naive position reader on the "
        f"same standby skipped {skipped_by_naive}; X-Replica-Lag values seen: "
        f"{sorted(set(lags))[:5]}..."
    )
    assert len(committed_ids) > 200, "the writers should have committed plenty"
    assert on_primary == committed_ids, "the primary holds what the writers committed"
    assert len(seen_ids) == len(set(seen_ids)), "an event was read twice"
    assert set(seen_ids) == committed_ids, "committed and read sets differ"
    last_version: dict[str, int] = {}
    for event in seen:
        assert event["version"] > last_version.get(event["stream_id"], 0), "stream order broken"
        last_version[event["stream_id"]] = event["version"]
    assert all(lag == "unknown" or float(lag) >= 0 for lag in lags)


def test_a_standby_that_stops_replaying_says_how_far_behind_it_is(
    pair: tuple[standby.Server, standby.Server], reads_on_standby: standby.Server
) -> None:
    primary, replica = pair
    client = APIClient()
    with replica.connect() as db:
        db.execute("SELECT pg_wal_replay_pause()")
    try:
        with primary.connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS lag_probe (at timestamptz)")
            db.execute("INSERT INTO lag_probe VALUES (now())")
        time.sleep(1.5)
        paused = client.get("/api/events/")
    finally:
        with replica.connect() as db:
            db.execute("SELECT pg_wal_replay_resume()")
    standby.wait_until_replayed(primary, replica)
    resumed = client.get("/api/events/")
    print(
        f"\nX-Replica-Lag while replay was paused: {paused.headers['X-Replica-Lag']} s; "
        f"once resumed: {resumed.headers['X-Replica-Lag']} s"
    )
    assert paused.status_code == resumed.status_code == 200
    assert float(paused.headers["X-Replica-Lag"]) >= 1.5
    assert float(resumed.headers["X-Replica-Lag"]) == 0.0


def test_status_and_healthz_report_the_standby_configured_by_url(
    pair: tuple[standby.Server, standby.Server],
) -> None:
    primary, replica = pair
    standby.wait_until_replayed(primary, replica)
    env = {"DATABASE_URL": primary.url(), "DATABASE_REPLICA_URLS": replica.url()}
    status = standby.manage(env, "projections", "status")
    health = standby.manage(
        env,
        "shell",
        "-c",
        "from django.test import Client; r = Client().get('/healthz'); "
        "print(r.status_code); print(r.content.decode())",
    )
    with primary.connect() as db:
        events = db.execute("SELECT count(*) FROM events_event").fetchone()
    print(f"\n{status}{health}")
    replica_line = [line for line in status.splitlines() if line.startswith("replica ")]
    assert replica_line and "replica_1: 0.000 s behind, 0 events behind" in replica_line[0]
    assert "streaming" in replica_line[0] and "NOT" not in replica_line[0]
    code, body = health.strip().splitlines()[-2:]
    report = json.loads(body)
    assert code == "200" and report["status"] == "ok"
    (one,) = report["replicas"]
    assert (one["alias"], one["in_recovery"], one["streaming"]) == ("replica_1", True, True)
    assert one["events_behind"] == 0 and events and events[0] > 0 and one["head"]
