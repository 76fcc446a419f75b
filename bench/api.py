"""`manage.py bench api`: projection reads under a fixed offered load against gunicorn.

On a scratch database (Django's test-database machinery) it loads a synthetic log
(`bench.replay`, `--size` events, default 50,000), rebuilds the projections,
creates an API user with a token, and starts gunicorn (2 workers x 8 threads, DEBUG off,
token auth, persistent database connections). An open-loop generator (asyncio on raw
keep-alive HTTP/1.1; the wrk2 model: each request leaves at its scheduled instant whether
or not earlier ones have answered, and its latency counts from that instant, so a stall
cannot hide by delaying the requests behind it) offers 200 requests/s for `--seconds`
(default 30) over a mix of state reads: incident lists (filtered by actor, type,
country), incident details, an actor's page, forces, stances and ultimatums.

Figures: achieved rate, p50 / p99 / max latency overall and per endpoint, errors (any
status but 200, or a transport error). Target: p99 < 25 ms, 0 errors.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import defaultdict
from typing import TextIO

from django.db import connection

from bench.pipeline import percentile
from bench.processes import Stack, database_url

DEFAULT_SIZE = 50_000
DEFAULT_SECONDS = 30.0
RATE = 200.0
QUIET_RATE = 10.0
WARM_SECONDS = 3.0
ACTOR_CODES = ["USA", "IRN", "ISR", "RUS", "UKR", "TUR", "IRQ", "SYR", "KH", "HEZBOLLAH"]
TYPES = ["attack", "condemn", "deploy", "threaten", "support"]
COUNTRIES = ["IRQ", "SYR", "UKR", "ISR", "LBN"]


def _populate(size: int, stdout: TextIO) -> tuple[str, list[str]]:
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from bench.replay import load
    from events.projections.engine.projectors import PROJECTORS
    from events.projections.rules.incidents import IncidentRow

    load(size, stdout)
    for projector in PROJECTORS.values():
        projector.rebuild()
    # Freshly rebuilt tables have no statistics and no visibility map until autovacuum
    # passes (it would, within a minute of a rebuild this size): measure the steady state,
    # not the planner guessing and COUNTs visiting every heap page.
    tables = [table._meta.db_table for p in PROJECTORS.values() for table in p.tables]
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")
    user = get_user_model().objects.create_user("bench-reader", password=None)
    token = Token.objects.create(user=user).key
    ids = [str(i) for i in IncidentRow.objects.values_list("incident_id", flat=True)[:2000]]
    return token, ids


def _request_mix(rng: random.Random, incident_ids: list[str]) -> tuple[str, str]:
    """(endpoint label, path) of one request, drawn from a reader's mix."""
    roll = rng.random()
    actor = rng.choice(ACTOR_CODES)
    if roll < 0.30:
        query = rng.choice(
            [f"actor={actor}", f"type={rng.choice(TYPES)}", f"country={rng.choice(COUNTRIES)}"]
        )
        return "incidents?filter", f"/api/incidents/?{query}&limit=20"
    if roll < 0.55:
        return "incidents/<id>", f"/api/incidents/{rng.choice(incident_ids)}/"
    if roll < 0.65:
        return "forces?actor", f"/api/forces/?actor={actor}"
    if roll < 0.75:
        return "stances?actor", f"/api/stances/?actor={actor}"
    if roll < 0.85:
        return "ultimatums?status", f"/api/ultimatums/?status={rng.choice(['open', 'expired'])}"
    if roll < 0.95:
        return "actors/<code>", f"/api/actors/{actor}/"
    return "incidents (page)", "/api/incidents/?limit=50"


class _Connections:
    """Keep-alive HTTP/1.1 connections, a raw GET on each: a client light enough that the
    generator, not the server, is never the bottleneck (httpx's async client was, here)."""

    def __init__(self, host: str, port: int, headers: str) -> None:
        self.host, self.port, self.headers = host, port, headers
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def get(self, path: str) -> tuple[int, bytes]:
        if self.idle:
            try:
                return await self._get(path, self.idle.pop())
            except (asyncio.IncompleteReadError, ConnectionError):
                pass  # the server closed an idle keep-alive connection: open a new one
        return await self._get(path, await asyncio.open_connection(self.host, self.port))

    async def _get(
        self, path: str, connection: tuple[asyncio.StreamReader, asyncio.StreamWriter]
    ) -> tuple[int, bytes]:
        reader, writer = connection
        try:
            request = f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n{self.headers}\r\n"
            writer.write(request.encode())
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split()[1])
            fields = {
                k.lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:] if x)
            }
            if "content-length" in fields:
                body = await reader.readexactly(int(fields["content-length"]))
            else:
                body = await reader.read()
                fields["connection"] = "close"
        except BaseException:
            writer.close()
            raise
        if fields.get("connection", "").lower() == "close":
            writer.close()
        else:
            self.idle.append((reader, writer))
        return status, body


async def _load(
    base_url: str, token: str, incident_ids: list[str], rate: float, seconds: float
) -> tuple[dict[str, list[float]], list[str], float]:
    rng = random.Random(11)
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    host, port = base_url.removeprefix("http://").split(":")
    pool = _Connections(host, int(port), f"Authorization: Token {token}\r\n")

    async def one(label: str, path: str, scheduled: float, record: bool) -> None:
        try:
            status, body = await asyncio.wait_for(pool.get(path), timeout=10)
            failure = "" if status == 200 else f"{status} {path}: {body[:120]!r}"
        except (OSError, asyncio.IncompleteReadError, TimeoutError) as error:
            failure = f"{type(error).__name__} {path}"
        took = time.monotonic() - scheduled
        if record:
            latencies[label].append(took)
            if failure:
                errors.append(failure)

    tasks = []
    total = int(rate * (WARM_SECONDS + seconds))
    warm = int(rate * WARM_SECONDS)
    start = time.monotonic()
    for i in range(total):
        scheduled = start + i / rate
        delay = scheduled - time.monotonic()
        await asyncio.sleep(max(delay, 0))
        label, path = _request_mix(rng, incident_ids)
        tasks.append(asyncio.create_task(one(label, path, scheduled, i >= warm)))
    sent = time.monotonic() - start
    await asyncio.gather(*tasks)
    for _, writer in pool.idle:
        writer.close()
    return latencies, errors, (total - warm) / max(sent - WARM_SECONDS, 1e-9)


def run(stdout: TextIO, seconds: float | None = None, size: int | None = None) -> None:
    seconds = seconds or DEFAULT_SECONDS
    size = size or DEFAULT_SIZE
    if connection.vendor != "postgresql":
        stdout.write("bench api needs PostgreSQL (set DATABASE_URL=postgres://...)\n")
        return
    creation = connection.creation
    original_name = connection.settings_dict["NAME"]
    creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    stack = Stack(database_url(dict(connection.settings_dict)))
    try:
        token, incident_ids = _populate(size, stdout)
        connection.close()
        broker = stack.redis()
        base_url = stack.web(broker, TRACKER_ANONYMOUS_READS="false")
        stdout.write(
            f"bench api: {RATE:g} requests/s offered for {seconds:g}s after {WARM_SECONDS:g}s "
            f"of warm-up (scratch copy of {original_name}, {size:,} events, gunicorn 2x8, "
            "token auth)\n"
        )
        # First a trickle (10 requests/s): what each read costs when nothing queues.
        quiet, _, _ = asyncio.run(_load(base_url, token, incident_ids, QUIET_RATE, 10))
        latencies, errors, achieved = asyncio.run(
            _load(base_url, token, incident_ids, RATE, seconds)
        )
        everything = [v for values in latencies.values() for v in values]
        stdout.write(f"  {'endpoint':<20} {'at 200/s':>25}   {'alone (10/s)':>24}\n")
        for label in sorted(latencies):
            values, alone = latencies[label], quiet.get(label, [])
            stdout.write(
                f"  {label:<20} {len(values):>5} req p50 {percentile(values, 50) * 1000:6.1f} ms"
                f" p99 {percentile(values, 99) * 1000:6.1f} ms   "
                f"p50 {percentile(alone, 50) * 1000:6.1f} ms"
                f" p99 {percentile(alone, 99) * 1000:6.1f} ms\n"
            )
        stdout.write(
            f"all reads: {len(everything)} requests at {achieved:.1f}/s   "
            f"p50 {percentile(everything, 50) * 1000:.1f} ms   "
            f"p99 {percentile(everything, 99) * 1000:.1f} ms   "
            f"max {max(everything, default=0) * 1000:.1f} ms   errors {len(errors)}   "
            "(target p99 < 25 ms, 0 errors)\n"
        )
        if errors:
            stdout.write(f"first errors: {errors[:3]}\n")
    finally:
        stack.close()
        connection.close()
        creation.destroy_test_db(original_name, verbosity=0)
