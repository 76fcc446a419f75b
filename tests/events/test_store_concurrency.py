"""Races between real processes on PostgreSQL: optimistic concurrency and gap-free reads."""

import multiprocessing
import time
from collections.abc import Iterator

import psycopg
import psycopg.conninfo
import pytest
from django.db import connection

from events import store
from tests.events import writers

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACERS = 8


def _race(stream_id: str, expected: int) -> list[tuple[str, int | None]]:
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    start_at = time.time() + 3.0  # spawn + django.setup must be done by then
    name = connection.settings_dict["NAME"]
    procs = [
        ctx.Process(target=writers.race_once, args=(name, stream_id, expected, start_at, out))
        for _ in range(RACERS)
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    return results


def test_racing_appends_on_an_existing_stream_have_exactly_one_winner() -> None:
    store.append("race-1", [store.NewEvent("Seed", {})], expected_version=0)
    results = _race("race-1", expected=1)
    assert sorted(r[0] for r in results) == ["conflict"] * (RACERS - 1) + ["won"]
    assert [e.version for e in store.read_stream("race-1")] == [1, 2]


def test_racing_appends_creating_a_stream_have_exactly_one_winner() -> None:
    results = _race("race-2", expected=0)
    assert [r for r in results if r[0] == "won"] == [("won", 1)]
    assert [e.version for e in store.read_stream("race-2")] == [1]
    assert store.stream_version("race-2") == 1


@pytest.mark.slow
def test_tailing_reader_sees_every_committed_event_once_under_eight_writers() -> None:
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    name = connection.settings_dict["NAME"]
    procs = [ctx.Process(target=writers.write_for, args=(name, w, 4.0, out)) for w in range(8)]
    for p in procs:
        p.start()

    seen: list[store.RecordedEvent] = []
    cursor = None

    def drain() -> None:
        nonlocal cursor
        while page := store.read_all(after=cursor, limit=500):
            seen.extend(page)
            cursor = page[-1].cursor

    committed: list[tuple[str, str, int]] = []
    pending = len(procs)
    while pending:
        drain()
        while not out.empty():
            committed += out.get()
            pending -= 1
        time.sleep(0.01)
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    drain()

    seen_ids = [str(e.event_id) for e in seen]
    assert len(committed) > 200, "the writers should have committed plenty"
    assert len(seen_ids) == len(set(seen_ids)), "an event was read twice"
    assert set(seen_ids) == {c[0] for c in committed}, "committed and read sets differ"
    last_version: dict[str, int] = {}
    for event in seen:
        assert event.version > last_version.get(event.stream_id, 0), "stream order broken"
        last_version[event.stream_id] = event.version
    # Versions have no gaps although some transactions rolled back.
    for stream_id, version in last_version.items():
        assert [e.version for e in store.read_stream(stream_id)] == list(range(1, version + 1))


@pytest.fixture
def other_database() -> Iterator[str]:
    """A second database on the same server, dropped afterwards (no test leaves one)."""
    name = f"{connection.settings_dict['NAME']}_neighbour"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _open_transaction_with_xid(dbname: str) -> psycopg.Connection:
    conninfo = psycopg.conninfo.make_conninfo(
        host=connection.settings_dict["HOST"] or "127.0.0.1",
        port=connection.settings_dict["PORT"] or 5432,
        user=connection.settings_dict["USER"],
        dbname=dbname,
    )
    holder = psycopg.connect(conninfo)
    holder.execute("SELECT pg_current_xact_id()")  # an xid, held until rollback
    return holder


def test_an_open_transaction_in_another_database_does_not_hold_readers_back(
    other_database: str,
) -> None:
    holder = _open_transaction_with_xid(dbname=other_database)
    try:
        store.append("neighbour-1", [store.NewEvent("Seen", {})], expected_version=0)
        assert [e.stream_id for e in store.read_all()] == ["neighbour-1"]
        assert store.head_cursor() != ""
    finally:
        holder.rollback()
        holder.close()


def test_an_open_transaction_in_this_database_holds_readers_back_until_it_ends() -> None:
    holder = _open_transaction_with_xid(dbname=connection.settings_dict["NAME"])
    try:
        store.append("held-1", [store.NewEvent("Held", {})], expected_version=0)
        assert store.read_all() == [], "an older in-flight transaction could still write"
    finally:
        holder.rollback()
        holder.close()
    assert [e.stream_id for e in store.read_all()] == ["held-1"]
