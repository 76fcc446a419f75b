"""`manage.py bench store`: append throughput beside plain psycopg/sqlite3 in the same run.

It runs in a scratch database created beside the configured one (Django's test-database
machinery), so the real log never receives benchmark events. Three shapes, each measured
for the store and for the same rows written raw into a scratch table of the log's shape
(`CREATE TABLE ... (LIKE events_event INCLUDING ALL)`):

  1 event per call      one append (one transaction) per event
  100 events per call   one append of 100 events
  8 writers, 1 per call eight processes appending at once
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TextIO

from django.db import connection

PAYLOAD = {
    "incident_id": "00000000-0000-0000-0000-000000000000",
    "type": "attack",
    "actor": "USA",
    "target": "KH",
    "location": "Baghdad",
    "country": "IRQ",
    "killed": 4,
    "status": "asserted",
    "source": {"article_id": 1, "outlet": "Reuters", "evidence": "x" * 160, "confidence": 0.8},
}
METADATA = {"classifier_version": "bench", "correlation_id": "bench"}
RAW_TABLE = "bench_raw_events"


# --- the store side -------------------------------------------------------------------


def _store_run(batch: int, seconds: float, stream_prefix: str) -> int:
    from events import store

    versions: dict[str, int] = {}
    written = 0
    deadline = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < deadline:
        stream_id = f"{stream_prefix}-{i % 50}"
        i += 1
        events = [store.NewEvent("BenchEvent", PAYLOAD, METADATA) for _ in range(batch)]
        store.append(stream_id, events, expected_version=versions.get(stream_id, 0))
        versions[stream_id] = versions.get(stream_id, 0) + batch
        written += batch
    return written


# --- the raw side -------------------------------------------------------------------------


def _raw_row(stream_id: str, version: int) -> tuple[Any, ...]:
    return (
        stream_id,
        version,
        str(uuid.uuid4()),
        "BenchEvent",
        1,
        json.dumps(PAYLOAD),
        json.dumps(METADATA),
        datetime.now(UTC).isoformat(),
        None,
    )


def _raw_run(batch: int, seconds: float, stream_prefix: str) -> int:
    """The same rows through the bare driver: one multi-row INSERT per call."""
    raw = connection.connection  # the DB-API connection under Django's wrapper
    is_pg = connection.vendor == "postgresql"
    placeholder = "(%s, %s, %s, %s, %s, %s, %s, %s, %s)" if is_pg else "(?, ?, ?, ?, ?, ?, ?, ?, ?)"
    sql_head = (
        f"INSERT INTO {RAW_TABLE} (stream_id, version, event_id, type, schema_version, data, "
        "metadata, recorded_at, occurred_on) VALUES "
    )
    versions: dict[str, int] = {}
    written = 0
    deadline = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < deadline:
        stream_id = f"{stream_prefix}-{i % 50}"
        i += 1
        base = versions.get(stream_id, 0)
        params: list[Any] = []
        for k in range(batch):
            params += _raw_row(stream_id, base + k + 1)
        sql = sql_head + ", ".join([placeholder] * batch)
        if is_pg:
            # Autocommit: one statement is one transaction, as it is for the store.
            with raw.cursor() as cursor:
                cursor.execute(sql, params)
        else:
            cursor = raw.cursor()
            cursor.execute("BEGIN")
            cursor.execute(sql, params)
            cursor.execute("COMMIT")
        versions[stream_id] = base + batch
        written += batch
    return written


def _create_raw_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {RAW_TABLE}")
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TABLE {RAW_TABLE} (LIKE events_event INCLUDING ALL)")
            # LIKE copies the column default pg_current_xact_id() too: same work per row.
        else:
            cursor.execute(
                f"CREATE TABLE {RAW_TABLE} (position integer PRIMARY KEY AUTOINCREMENT, "
                "tx_id bigint, stream_id varchar(200) NOT NULL, version integer NOT NULL, "
                "event_id char(32) NOT NULL UNIQUE, type varchar(100) NOT NULL, "
                "schema_version smallint NOT NULL, data text NOT NULL, metadata text NOT NULL, "
                "recorded_at datetime NOT NULL, occurred_on date, UNIQUE (stream_id, version))"
            )
            cursor.execute(f"CREATE INDEX {RAW_TABLE}_tx ON {RAW_TABLE} (tx_id, position)")
            cursor.execute(f"CREATE INDEX {RAW_TABLE}_type ON {RAW_TABLE} (type, position)")


# --- processes for the concurrent case --------------------------------------------------------


def _worker(kind: str, database: dict[str, Any], seconds: float, writer: int, out: Any) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get(
        "DJANGO_SETTINGS_MODULE", "tracker.settings"
    )
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"]["NAME"] = database["NAME"]
    if connection.vendor == "postgresql":
        connection.ensure_connection()
    run = _store_run if kind == "store" else _raw_run
    if kind == "raw":
        connection.ensure_connection()
    out.put(run(1, seconds, f"{kind}-w{writer}"))


def _concurrent(kind: str, seconds: float, writers: int = 8) -> float:
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [
        ctx.Process(target=_worker, args=(kind, dict(connection.settings_dict), seconds, w, out))
        for w in range(writers)
    ]
    for p in procs:
        p.start()
    # Processes start at different moments; each counts only its own timed window.
    total = sum(out.get(timeout=seconds + 120) for _ in procs)
    for p in procs:
        p.join(timeout=60)
    return total / seconds


def _rates(batch: int, seconds: float, tag: str, rounds: int = 10) -> tuple[float, float]:
    """Store and raw rates, measured in alternating short rounds so that whatever else
    the machine is doing weighs on both sides alike."""
    connection.ensure_connection()
    sides: dict[str, Callable[[int, float, str], int]] = {"s": _store_run, "r": _raw_run}
    for name, fn in sides.items():
        fn(batch, 0.3, f"warm-{name}{tag}")  # warm caches, plans and connections
    totals = {"s": [0, 0.0], "r": [0, 0.0]}
    for round_ in range(rounds):
        for name, fn in sides.items():
            start = time.perf_counter()
            # Fresh streams each round: a run starts every stream at expected version 0.
            totals[name][0] += fn(batch, seconds / rounds, f"{name}{tag}r{round_}")
            totals[name][1] += time.perf_counter() - start
    return totals["s"][0] / totals["s"][1], totals["r"][0] / totals["r"][1]


def _line(out: TextIO, label: str, ours: float, raw: float) -> None:
    ratio = ours / raw if raw else float("nan")
    out.write(
        f"{label:<24} store {ours:>10,.0f} events/s   raw {raw:>10,.0f} events/s"
        f"   = {ratio:.2f} x raw\n"
    )


def run(stdout: TextIO, seconds: float | None = None, size: int | None = None) -> None:
    seconds = seconds or 5.0
    creation = connection.creation
    original_name = connection.settings_dict["NAME"]
    stdout.write(f"bench store on {connection.vendor} (scratch copy of {original_name})\n")
    creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        _create_raw_table()
        results = [
            ("append 1 event/call", *_rates(1, seconds, "1")),
            ("append 100 events/call", *_rates(100, seconds, "100")),
        ]
        if connection.vendor == "postgresql":
            results.append(
                (
                    "8 writers, 1 event/call",
                    _concurrent("store", seconds),
                    _concurrent("raw", seconds),
                )
            )
        else:
            stdout.write("(8 concurrent writers: PostgreSQL only; SQLite has one writer)\n")
        for label, ours, raw in results:
            _line(stdout, label, ours, raw)
    finally:
        connection.close()
        creation.destroy_test_db(original_name, verbosity=0)
