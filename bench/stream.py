"""`manage.py bench stream`: a thousand live subscribers of /api/events/stream while the
log grows.

On a scratch database (Django's test-database machinery) it starts gunicorn with two
uvicorn workers (tracker.asgi, DEBUG off), opens `--size` subscribers (default 1,000:
raw keep-alive HTTP/1.1 connections from one asyncio client, each asking for the stream
after the log's head), then two appender processes append events one per transaction at
an even pace (`RATE` events/s in all, as the pipeline's workers do) for `--seconds`
(default 20). Each appender notes when each append returned (it has committed then);
each subscriber notes when each event's `id:` line reached it.

Figures: delivery delay (arrival at a subscriber minus the append's return) p50 / p95 /
p99 / max over every (event, subscriber) pair; per subscriber, events skipped (appended
but never received), received twice and out of read order. Target: p95 < 1 s, 0 skipped
or doubled.
"""

from __future__ import annotations

import asyncio
import sys
import time
from itertools import pairwise
from typing import TextIO
from urllib.parse import urlparse

from django.db import connection

from bench.pipeline import percentile
from bench.processes import ROOT, Stack, database_url

DEFAULT_SUBSCRIBERS = 1000
DEFAULT_SECONDS = 20.0
RATE = 20.0  # events/s in all
APPENDERS = 2
DRAIN_SECONDS = 15.0

# One appender: events one per transaction at `rate`/s for `seconds`; prints each
# event's cursor and the wall-clock instant its append returned (committed).
_APPENDER = """
import sys, time, django
django.setup()
from events import store
name, rate, seconds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
start = time.monotonic()
n = 0
while (due := start + n / rate) < start + seconds:
    time.sleep(max(0.0, due - time.monotonic()))
    [event] = store.append(
        f"bench-stream-{name}-{n % 20}", [store.NewEvent("BenchStreamed", {"n": n}, {})],
        expected_version=n // 20,
    )
    print(event.cursor, time.time(), flush=True)
    n += 1
"""


class Subscriber:
    """One open stream: the ids received, in order, with their arrival times."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.arrived: list[float] = []
        self.status = 0
        self.error = ""

    async def listen(self, host: str, port: int, after: str, ready: asyncio.Event) -> None:
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError as error:
            self.error = repr(error)
            ready.set()
            return
        writer.write(
            f"GET /api/events/stream HTTP/1.1\r\nHost: {host}\r\n"
            f"Accept: text/event-stream\r\nLast-Event-ID: {after}\r\n\r\n".encode()
        )
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            self.status = int(head.split()[1])
            ready.set()
            pending = b""
            while chunk := await reader.read(65536):
                now = time.time()
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    if line.startswith(b"id: "):
                        self.ids.append(line[4:].decode())
                        self.arrived.append(now)
        except (asyncio.CancelledError, ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            ready.set()
            writer.close()


def _cursor_key(cursor: str) -> tuple[int, int]:
    tx, position = cursor.split("-")
    return int(tx), int(position)


async def _measure(
    stack: Stack, base_url: str, after: str, subscribers: int, seconds: float
) -> tuple[list[Subscriber], dict[str, float], float]:
    url = urlparse(base_url)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    subs = [Subscriber() for _ in range(subscribers)]
    readies = [asyncio.Event() for _ in subs]
    tasks = [
        asyncio.create_task(s.listen(host, port, after, r))
        for s, r in zip(subs, readies, strict=True)
    ]
    opened = time.perf_counter()
    await asyncio.gather(*(r.wait() for r in readies))
    open_seconds = time.perf_counter() - opened
    appenders = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            _APPENDER,
            str(i),
            str(RATE / APPENDERS),
            str(seconds),
            cwd=ROOT,
            env=stack.env("memory://"),
            stdout=asyncio.subprocess.PIPE,
        )
        for i in range(APPENDERS)
    ]
    committed: dict[str, float] = {}
    for appender in appenders:
        out, _ = await appender.communicate()
        for line in out.decode().splitlines():
            cursor, at = line.split()
            committed[cursor] = float(at)
    deadline = time.monotonic() + DRAIN_SECONDS
    while time.monotonic() < deadline and any(len(s.ids) < len(committed) for s in subs):
        await asyncio.sleep(0.1)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return subs, committed, open_seconds


def run(stdout: TextIO, seconds: float | None = None, size: int | None = None) -> None:
    from events import store

    seconds = seconds or DEFAULT_SECONDS
    subscribers = size or DEFAULT_SUBSCRIBERS
    if connection.vendor != "postgresql":
        stdout.write("bench stream needs PostgreSQL (set DATABASE_URL=postgres://...)\n")
        return
    creation = connection.creation
    original_name = connection.settings_dict["NAME"]
    creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    stack = Stack(database_url(dict(connection.settings_dict)))
    try:
        head = store.head_cursor()
        connection.close()
        base_url = stack.asgi_web("memory://", workers=2, TRACKER_ANONYMOUS_READS="true")
        subs, committed, open_seconds = asyncio.run(
            _measure(stack, base_url, head, subscribers, seconds)
        )
        _report(stdout, subs, committed, open_seconds, seconds, original_name)
    finally:
        stack.close()
        connection.close()
        creation.destroy_test_db(original_name, verbosity=0)


def _report(
    stdout: TextIO,
    subs: list[Subscriber],
    committed: dict[str, float],
    open_seconds: float,
    seconds: float,
    database: str,
) -> None:
    delays: list[float] = []
    skipped, doubled, disordered, failed = [], [], [], 0
    for sub in subs:
        if sub.status != 200:
            failed += 1
        for cursor, arrived in zip(sub.ids, sub.arrived, strict=True):
            if cursor in committed:
                delays.append(arrived - committed[cursor])
        skipped.append(len(set(committed) - set(sub.ids)))
        doubled.append(len(sub.ids) - len(set(sub.ids)))
        keys = [_cursor_key(c) for c in sub.ids]
        disordered.append(sum(1 for a, b in pairwise(keys) if b <= a))
    stdout.write(
        f"bench stream: {len(subs):,} subscribers of /api/events/stream (gunicorn, 2 uvicorn "
        f"workers, scratch copy of {database}), opened in {open_seconds:.1f} s; "
        f"{len(committed):,} events appended one per transaction by {APPENDERS} processes "
        f"at {RATE:g}/s for {seconds:g} s\n"
        f"  delivery delay over {len(delays):,} (event, subscriber) pairs: "
        f"p50 {percentile(delays, 50) * 1000:.0f} ms   p95 {percentile(delays, 95) * 1000:.0f} ms"
        f"   p99 {percentile(delays, 99) * 1000:.0f} ms   max {max(delays, default=0) * 1000:.0f}"
        " ms\n"
        f"  per subscriber: skipped max {max(skipped, default=0)} (total {sum(skipped)}), "
        f"doubled max {max(doubled, default=0)} (total {sum(doubled)}), out of order max "
        f"{max(disordered, default=0)}; subscribers refused or failed: {failed}\n"
    )
    p95 = percentile(delays, 95)
    met = p95 < 1.0 and not any(skipped) and not any(doubled) and not failed
    stdout.write(f"target: p95 < 1 s, 0 skipped or doubled: {'met' if met else 'NOT met'}\n")
