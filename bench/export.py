"""`manage.py bench export`: a million incidents to CSV, beside a plain COPY of the rows.

In a scratch database (Django's test-database machinery) it loads a synthetic log
(`bench.replay.load`, 100,000 events), rebuilds the projections, then copies the incident
rows in SQL, each copy under a new id, until the table holds `--size` incidents (default
1,000,000): the rows are the projector's own, only more of them. Then, in the same run:

  COPY       `COPY (SELECT incident_id, state FROM events_proj_incident ORDER BY world_date,
             incident_id) TO STDOUT` read whole by psycopg and thrown away: the floor any
             export of those rows in that order stands on
  command    `manage.py export --format csv` in a process of its own, output counted and
             thrown away, with its peak memory; for flat memory, also over a share of
             the rows (`--since` the date nine tenths of the incidents happened before;
             the copied rows share their dates, so the share comes out larger)
  HTTP       GET /api/export/incidents.csv from gunicorn with a uvicorn worker (ASGI), the
             body read and counted by a plain socket client

Figures: seconds, rows/s, `= R x COPY`, peak RSS. Target: under 60 s with flat memory.
"""

from __future__ import annotations

import http.client
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import TextIO
from urllib.parse import urlparse

from django.db import connection

from bench.processes import ROOT, Stack, database_url

DEFAULT_SIZE = 1_000_000
BASE_EVENTS = 100_000
TARGET_SECONDS = 60.0

# Runs one export in a fresh process: its stdout counted (bytes, CRLF-ended lines), its
# peak memory reported, nothing kept.
_EXPORT_SCRIPT = """
import resource, sys, time, django
django.setup()
from django.core.management import call_command

class Counter:
    size = lines = 0
    def write(self, text):
        self.size += len(text)
        self.lines += text.count("\\r\\n")
    def flush(self):
        pass

out = Counter()
started = time.perf_counter()
call_command("export", "--format", "csv", "--no-progress", *sys.argv[1:], stdout=out)
took = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(took, out.lines - 1, out.size, peak)
"""


def _table() -> str:
    from events.projections.rules.incidents import IncidentRow

    return IncidentRow._meta.db_table


def _grow_incidents(size: int) -> int:
    """Copy the incident rows under new ids until there are `size`; the base count."""
    table = _table()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        base = cursor.fetchone()[0]
        copies = -(-size // base) - 1
        cursor.execute(
            f"""
            INSERT INTO {table}
                (incident_id, stream_id, version, type, actor, target, location, country,
                 world_date, factuality, status, verified, needs_review, confidence, state)
            SELECT ids.new_id, 'incident-' || ids.new_id, version, type, actor, target,
                   location, country, world_date, factuality, status, verified,
                   needs_review, confidence,
                   jsonb_set(
                       jsonb_set(state::jsonb, '{{incident_id}}', to_jsonb(ids.new_id::text)),
                       '{{stream_id}}', to_jsonb('incident-' || ids.new_id)
                   )::json
            FROM {table} r
            CROSS JOIN generate_series(1, %s) AS copy(n)
            CROSS JOIN LATERAL (SELECT md5(r.incident_id::text || copy.n)::uuid AS new_id) ids
            LIMIT %s
            """,
            [copies, size - base],
        )
        cursor.execute(f"VACUUM (ANALYZE) {table}")
    return int(base)


def _copy_seconds() -> tuple[float, int]:
    sql = (
        f"COPY (SELECT incident_id, state FROM {_table()} "
        "ORDER BY world_date, incident_id) TO STDOUT"
    )
    size = 0
    started = time.perf_counter()
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        for block in copy:
            size += len(block)
    return time.perf_counter() - started, size


def _command(stack: Stack, *filters: str) -> tuple[float, int, int, int]:
    done = subprocess.run(
        [sys.executable, "-c", _EXPORT_SCRIPT, *filters],
        cwd=ROOT,
        env=stack.env("memory://"),
        capture_output=True,
        text=True,
        check=True,
    )
    took, rows, size, peak_kb = done.stdout.split()
    return float(took), int(rows), int(size), int(peak_kb)


def _http(base_url: str) -> tuple[float, int, int]:
    url = urlparse(base_url)
    started = time.perf_counter()
    conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=300)
    conn.request("GET", "/api/export/incidents.csv")
    response = conn.getresponse()
    size = lines = 0
    while block := response.read1(1 << 20):
        size += len(block)
        lines += block.count(b"\r\n")
    conn.close()
    return time.perf_counter() - started, lines - 1, size


def _tenth_since() -> str:
    """The date nine tenths of the incidents happened before (the rows on or after it are
    a smaller share of the export, for the memory comparison)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT percentile_disc(0.9) WITHIN GROUP (ORDER BY world_date) FROM {_table()}"
        )
        day: date = cursor.fetchone()[0]
    return day.isoformat()


def _vm_hwm_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def run(stdout: TextIO, seconds: float | None = None, size: int | None = None) -> None:
    from bench.replay import load
    from events.projections.engine.projectors import PROJECTORS

    size = size or DEFAULT_SIZE
    if connection.vendor != "postgresql":
        stdout.write("bench export needs PostgreSQL (set DATABASE_URL=postgres://...)\n")
        return
    creation = connection.creation
    original_name = connection.settings_dict["NAME"]
    creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    stack = Stack(database_url(dict(connection.settings_dict)))
    try:
        load(min(BASE_EVENTS, size), stdout)
        PROJECTORS["incidents"].rebuild()
        base = _grow_incidents(size)
        since = _tenth_since()
        stdout.write(
            f"bench export: {size:,} incidents ({base:,} rebuilt from a synthetic log, copied "
            f"under new ids) in a scratch copy of {original_name}\n"
        )
        copy_s, copy_bytes = _copy_seconds()
        stdout.write(
            f"  COPY (incident_id, state) TO STDOUT   {copy_s:6.1f} s   "
            f"{copy_bytes / 1e6:,.0f} MB\n"
        )
        connection.close()
        small = _command(stack, "--since", since)
        full = _command(stack)
        for label, (took, rows, written, peak_kb) in [
            (f"export --since {since}", small),
            ("export (all)", full),
        ]:
            stdout.write(
                f"  manage.py {label:<24} {took:6.1f} s   {rows:>9,} rows   "
                f"{rows / took:>9,.0f} rows/s   {written / 1e6:,.0f} MB   "
                f"peak RSS {peak_kb / 1024:,.0f} MB   = {took / copy_s:.1f} x COPY\n"
            )
        base_url = stack.asgi_web("memory://", TRACKER_ANONYMOUS_READS="true")
        master = stack.processes[-1].popen.pid
        http_s, http_rows, http_bytes = _http(base_url)
        workers_peak = max(_vm_hwm_kb(pid) for pid in _worker_pids(master))
        stdout.write(
            f"  GET /api/export/incidents.csv (ASGI) {http_s:6.1f} s   {http_rows:>9,} rows   "
            f"{http_rows / http_s:>9,.0f} rows/s   {http_bytes / 1e6:,.0f} MB   "
            f"worker peak RSS {workers_peak / 1024:,.0f} MB   = {http_s / copy_s:.1f} x COPY\n"
        )
        verdict = "met" if full[0] < TARGET_SECONDS and full[1] == size else "NOT met"
        stdout.write(
            f"target: {size:,} rows in < {TARGET_SECONDS:g} s with flat memory: {verdict} "
            f"(peak RSS {small[3] / 1024:,.0f} MB for {small[1]:,} rows, "
            f"{full[3] / 1024:,.0f} MB for {full[1]:,})\n"
        )
    finally:
        stack.close()
        connection.close()
        creation.destroy_test_db(original_name, verbosity=0)
