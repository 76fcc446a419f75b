"""`manage.py bench pipeline`: signed HTTP pushes through a Celery worker into projections.

On a scratch database (Django's test-database machinery) it starts its own redis-server,
gunicorn (2 workers x 8 threads) and a celery worker (prefork, `--workers` processes,
default 2), all with DEBUG off. An open-loop sender pushes one synthetic article (bench.articles)
every 1/rate seconds, each on its schedule whether or not earlier pushes have answered,
for `--seconds` (default 60) at `--size` articles/s (default 20). A poller watches the
incidents projection (`events_proj_incident_source`) and notes when each article's
incidents are first visible there.

Figures: pushes accepted and their HTTP latency; articles projected per second; the
latency from each push's scheduled send time to its incidents being in the projection
(p50 / p95 / p99 / max). Target: p95 < 1 s at 20 articles/s.
"""

from __future__ import annotations

import json
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TextIO

import httpx
import psycopg
from django.db import connection

from bench.articles import article
from bench.processes import Stack, database_url
from ingest.signatures import sign

DEFAULT_RATE = 20.0
DEFAULT_SECONDS = 60.0
DEFAULT_WORKERS = 2
DRAIN_SECONDS = 60.0
POLL_SECONDS = 0.02
SECRET = "bench-feed-secret-0123456789abcdef"


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


class Tracker:
    """Push outcomes and projection sightings, shared by the sender and the poller."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.scheduled: dict[int, float] = {}  # article id -> scheduled send time
        self.projected: dict[int, float] = {}  # article id -> first seen in the projection
        self.http: list[float] = []
        self.statuses: dict[int, int] = {}
        self.errors: list[str] = []

    def pending(self) -> list[int]:
        with self.lock:
            return [a for a in self.scheduled if a not in self.projected]


def _push(
    client: httpx.Client, url: str, payload: dict[str, Any], scheduled: float, tracker: Tracker
) -> None:
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json", "X-Signature": sign(SECRET, body)}
    started = time.monotonic()
    try:
        response = client.post(url, content=body, headers=headers)
    except httpx.HTTPError as error:
        with tracker.lock:
            tracker.errors.append(f"{type(error).__name__}: {error}")
        return
    took = time.monotonic() - started
    with tracker.lock:
        tracker.http.append(took)
        tracker.statuses[response.status_code] = tracker.statuses.get(response.status_code, 0) + 1
        if response.status_code == 202:
            for article_id in response.json()["ids"]:
                tracker.scheduled[article_id] = scheduled
        else:
            tracker.errors.append(f"{response.status_code}: {response.text[:200]}")


def _poll(dsn: str, tracker: Tracker, stop: threading.Event) -> None:
    with psycopg.connect(dsn, autocommit=True) as db:
        while not stop.is_set():
            pending = tracker.pending()
            if pending:
                rows = db.execute(
                    "SELECT DISTINCT article_id FROM events_proj_incident_source "
                    "WHERE article_id = ANY(%s)",
                    [pending],
                ).fetchall()
                now = time.monotonic()
                with tracker.lock:
                    for (article_id,) in rows:
                        tracker.projected.setdefault(article_id, now)
            time.sleep(POLL_SECONDS)


def _feed() -> None:
    from ingest.models import Feed

    Feed.objects.create(slug="bench", name="Bench wire", secret=SECRET)


def _dsn(settings_dict: dict[str, Any]) -> str:
    return database_url(settings_dict).replace("postgres://", "postgresql://", 1)


def run(
    stdout: TextIO,
    seconds: float | None = None,
    size: int | None = None,
    workers: int = DEFAULT_WORKERS,
) -> None:
    seconds = seconds or DEFAULT_SECONDS
    rate = float(size or DEFAULT_RATE)
    if connection.vendor != "postgresql":
        stdout.write("bench pipeline needs PostgreSQL (set DATABASE_URL=postgres://...)\n")
        return
    creation = connection.creation
    original_name = connection.settings_dict["NAME"]
    creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    settings_dict = dict(connection.settings_dict)
    stack = Stack(database_url(settings_dict), worker_concurrency=workers)
    try:
        _feed()
        connection.close()
        broker = stack.redis()
        base_url = stack.web(broker)
        stack.worker(broker)
        stdout.write(
            f"bench pipeline: {rate:g} articles/s offered for {seconds:g}s "
            f"(scratch copy of {original_name}; own redis, gunicorn 2x8, "
            f"celery worker -c {workers})\n"
        )
        _measure(stdout, base_url, _dsn(settings_dict), rate, seconds)
    finally:
        stack.close()
        connection.close()
        creation.destroy_test_db(original_name, verbosity=0)


def _measure(stdout: TextIO, base_url: str, dsn: str, rate: float, seconds: float) -> None:
    rng = random.Random(7)
    url = f"{base_url}/api/ingest/bench/articles"
    tracker = Tracker()
    stop = threading.Event()
    poller = threading.Thread(target=_poll, args=(dsn, tracker, stop), daemon=True)
    poller.start()
    total = int(rate * seconds)
    payloads = [article(rng, i) for i in range(total)]
    with (
        httpx.Client(timeout=30, limits=httpx.Limits(max_connections=64)) as client,
        ThreadPoolExecutor(max_workers=64) as pool,
    ):
        # Warm up: a few pushes outside the measured window (imports, connections).
        for i in range(3):
            _push(
                client,
                url,
                article(rng, 10_000_000 + i, prefix="warm"),
                time.monotonic(),
                Tracker(),
            )
        time.sleep(2)
        start = time.monotonic()
        for i, payload in enumerate(payloads):
            scheduled = start + i / rate
            delay = scheduled - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(_push, client, url, payload, scheduled, tracker)
        sent_for = time.monotonic() - start
    deadline = time.monotonic() + DRAIN_SECONDS
    while tracker.pending() and time.monotonic() < deadline:
        time.sleep(0.2)
    stop.set()
    poller.join(5)

    accepted = len(tracker.scheduled)
    latencies = [tracker.projected[a] - tracker.scheduled[a] for a in tracker.projected]
    first = min(tracker.scheduled.values(), default=start)
    last = max(tracker.projected.values(), default=start)
    statuses = ", ".join(f"{code}: {n}" for code, n in sorted(tracker.statuses.items()))
    stdout.write(
        f"pushed {total} articles in {sent_for:.1f}s ({total / sent_for:.1f}/s offered), "
        f"answers {statuses or 'none'}, transport errors {len(tracker.errors)}\n"
    )
    stdout.write(
        f"push HTTP latency        p50 {percentile(tracker.http, 50) * 1000:7.1f} ms   "
        f"p99 {percentile(tracker.http, 99) * 1000:7.1f} ms\n"
    )
    stdout.write(
        f"projected {len(latencies)} of {accepted} accepted articles "
        f"({accepted - len(latencies)} not projected within {DRAIN_SECONDS:g}s of the end); "
        f"throughput {len(latencies) / max(last - first, 1e-9):.1f} articles/s\n"
    )
    stdout.write(
        "push -> projection       "
        f"p50 {percentile(latencies, 50) * 1000:7.0f} ms   "
        f"p95 {percentile(latencies, 95) * 1000:7.0f} ms   "
        f"p99 {percentile(latencies, 99) * 1000:7.0f} ms   "
        f"max {max(latencies, default=float('nan')) * 1000:7.0f} ms   (target p95 < 1000 ms)\n"
    )
    if tracker.errors:
        stdout.write(f"first errors: {tracker.errors[:3]}\n")
