"""Process drills with real gunicorn, celery worker and beat processes, under a steady
stream of signed pushes: kill -9 the worker mid-task, kill -9 the projector mid-batch,
restart PostgreSQL (a throwaway cluster of our own), stop Redis (a redis-server of our
own). After recovery: every accepted article classified, its incidents in the log exactly
once, and every projection, caught up by the system itself, equal to the fold of the log.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import redis
from django.db import connection, transaction

from bench.articles import article
from bench.processes import ROOT, Stack, free_port, port_answers
from ingest.models import Article, ArticleStatus, Feed
from ingest.signatures import sign
from registry.shipped import load_shipped_registry
from tests.conftest import _missing
from tests.faults.recovery import assert_recovered, count_classified
from tests.faults.report import figure, note
from tests.support.processes import stack_on_the_test_database, wait_for

pytestmark = [
    pytest.mark.faults,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

SECRET = "drill-secret-0123456789abcdef"
RATE = 8.0  # articles/s offered during every drill
# Beat sweeps every second for articles waiting more than a second, as in the ingest tests.
FAST_SWEEP = {"TRACKER_SWEEP_EVERY_SECONDS": "1", "TRACKER_SWEEP_AFTER_SECONDS": "2"}
PG_BIN = Path("/usr/lib/postgresql/15/bin")


class Load:
    """Pushes `count` articles at RATE per second from a thread; `fault` runs at `at`
    seconds into the load, in the test's thread."""

    def __init__(self, base_url: str, slug: str, count: int, seed: int) -> None:
        self.url = f"{base_url}/api/ingest/{slug}/articles"
        rng = random.Random(seed)
        self.payloads = [article(rng, i, prefix=f"drill{seed}") for i in range(count)]
        self.accepted: list[int] = []
        self.refused: list[str] = []
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        start = time.monotonic()
        with httpx.Client(timeout=30) as client:
            for i, payload in enumerate(self.payloads):
                time.sleep(max(0.0, start + i / RATE - time.monotonic()))
                body = json.dumps(payload).encode()
                headers = {"Content-Type": "application/json", "X-Signature": sign(SECRET, body)}
                try:
                    response = client.post(self.url, content=body, headers=headers)
                except httpx.HTTPError as error:
                    self.refused.append(type(error).__name__)
                    continue
                if response.status_code == 202:
                    self.accepted += response.json()["ids"]
                else:
                    self.refused.append(str(response.status_code))

    def run(self, fault: Callable[[], None], at: float) -> None:
        self.thread.start()
        time.sleep(at)
        fault()
        self.thread.join(120)
        assert not self.thread.is_alive()


def record(drill: str, load: Load, *, faults: int, events: int, classified: int) -> None:
    """The drill's figures, measured: the faults it injected, the articles accepted, and
    the articles lost = accepted - classified once the stack has recovered."""
    lost = len(set(load.accepted)) - classified
    figure("faults survived", faults)
    figure("articles accepted during drills", len(load.accepted))
    figure("articles lost", lost)
    note(
        f"{drill}: {len(load.payloads)} pushes at {RATE:g}/s, {len(load.accepted)} accepted "
        f"({len(load.refused)} refused during the fault: {sorted(set(load.refused))}), "
        f"{classified} classified once into {events} incident events, projections = fold; "
        f"lost {lost}"
    )


@pytest.fixture
def stack(tmp_path: Path, transactional_db: None, redis_url: str) -> Iterator[Stack]:
    redis.Redis.from_url(redis_url).flushdb()
    load_shipped_registry()
    Feed.objects.create(slug="drill", name="Drill", secret=SECRET)
    processes = stack_on_the_test_database(tmp_path)
    yield processes
    processes.close(signal.SIGKILL)


def _busy_mid_task() -> bool:
    """A task has started on an article (attempt counted) and not committed it yet."""
    return Article.objects.filter(status=ArticleStatus.QUEUED, attempts__gte=1).exists()


def test_worker_killed_mid_task_under_load(stack: Stack, redis_url: str) -> None:
    base_url = stack.web(redis_url)
    doomed = stack.worker(redis_url, name="doomed", **FAST_SWEEP)
    stack.beat(redis_url, **FAST_SWEEP)
    load = Load(base_url, "drill", 40, seed=1)
    kills: list[bool] = []

    def fault() -> None:
        nonlocal doomed
        for round_ in range(2):
            wait_for(_busy_mid_task, 30, "a task in progress")
            doomed.kill(signal.SIGKILL)
            kills.append(not doomed.alive)
            time.sleep(0.5)
            doomed = stack.worker(redis_url, name=f"successor{round_}", **FAST_SWEEP)

    load.run(fault, at=1.5)
    assert kills == [True, True]
    assert load.accepted and not load.refused
    events = assert_recovered(load.accepted)
    record(
        "worker kill -9 mid-task (twice)",
        load,
        faults=sum(kills),
        events=events,
        classified=count_classified(load.accepted),
    )


def _projector_blocked() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = 'events_proj_incident' AND NOT l.granted"
        )
        return bool(cursor.fetchone()[0])


def test_projector_killed_mid_batch_under_load(stack: Stack, redis_url: str) -> None:
    base_url = stack.web(redis_url)
    doomed = stack.worker(redis_url, name="projector", **FAST_SWEEP)
    stack.beat(redis_url, **FAST_SWEEP)
    load = Load(base_url, "drill", 30, seed=2)

    def fault() -> None:
        # Hold the incidents table: the projector stops inside its batch (checkpoint row
        # locked, events read, rows half written) until it is killed.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE events_proj_incident IN SHARE MODE")
            wait_for(_projector_blocked, 60, "the projector blocked mid-batch")
            doomed.kill(signal.SIGKILL)
        stack.worker(redis_url, name="successor", **FAST_SWEEP)

    load.run(fault, at=1.0)
    assert not doomed.alive
    assert load.accepted and not load.refused
    events = assert_recovered(load.accepted)
    record(
        "projector kill -9 mid-batch",
        load,
        faults=int(not doomed.alive),
        events=events,
        classified=count_classified(load.accepted),
    )


class OwnPostgres:
    """A throwaway PostgreSQL cluster (initdb as the postgres user), never the shared one."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="drill-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        shutil.chown(self.dir, "postgres", "postgres")
        self._as_postgres(
            [str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"]
        )
        self._pg_ctl("start")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/drill"
        self._as_postgres(
            [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "drill"]
        )

    def _as_postgres(self, args: list[str]) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        # No pipes: the postmaster pg_ctl leaves behind would hold them open.
        subprocess.run(
            [*prefix, *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=120,
        )

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            [
                str(PG_BIN / "pg_ctl"),
                *("-D", str(self.data), "-l", str(self.dir / "server.log")),
                *("-o", options, "-w", *extra, action),
            ]
        )

    def restart(self) -> None:
        self._pg_ctl("restart", "-m", "fast")

    def destroy(self) -> None:
        try:
            self._pg_ctl("stop", "-m", "immediate")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def own_postgres() -> Iterator[OwnPostgres]:
    if not (PG_BIN / "initdb").exists() or not shutil.which("runuser"):
        # Like every service-backed test: fails in CI, skips with a reason elsewhere.
        _missing(f"needs the PostgreSQL 15 server binaries ({PG_BIN}) to run a cluster of its own")
    cluster = OwnPostgres()
    yield cluster
    cluster.destroy()


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_postgres_restarted_under_load(
    tmp_path: Path, redis_url: str, own_postgres: OwnPostgres
) -> None:
    stack = stack_on_the_test_database(tmp_path)
    test_env = stack.env

    def env(broker: str, **extra: str) -> dict[str, str]:
        return {**test_env(broker, **extra), "DATABASE_URL": own_postgres.url}

    stack.env = env  # type: ignore[method-assign,assignment]  # every process on our own cluster
    try:
        port = free_port()
        broker = f"redis://127.0.0.1:{port}/0"
        stack.redis_server(port)
        _manage(env(broker), "migrate", "--noinput")
        _manage(env(broker), "create_feed", "drill", "--secret", SECRET)
        base_url = stack.web(broker)
        stack.worker(broker, **FAST_SWEEP)
        stack.beat(broker, **FAST_SWEEP)
        load = Load(base_url, "drill", 40, seed=3)
        restarts: list[bool] = []

        def fault() -> None:
            own_postgres.restart()
            restarts.append(True)

        load.run(fault, at=2.0)
        assert load.accepted
        # A push that meets the database down is told to come back, not a server error.
        assert set(load.refused) <= {"503"}, load.refused
        out = _manage(
            {**env(broker), "DJANGO_SETTINGS_MODULE": "tracker.settings_test"},
            "shell",
            "-c",
            "import sys; from tests.faults.recovery import assert_recovered, count_classified; "
            f"ids = {load.accepted!r}; "
            "print('events', assert_recovered(ids), 'classified', count_classified(ids))",
        )
        figures = out.split("events", 1)[1].split()
        assert figures[1] == "classified", out
        record(
            "PostgreSQL restarted (fast) under load",
            load,
            faults=len(restarts),
            events=int(figures[0]),
            classified=int(figures[2]),
        )
    finally:
        stack.close(signal.SIGKILL)


def test_redis_stopped_under_load(stack: Stack) -> None:
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    server = stack.redis_server(port)
    base_url = stack.web(broker)
    stack.worker(broker, **FAST_SWEEP)
    stack.beat(broker, **FAST_SWEEP)
    load = Load(base_url, "drill", 40, seed=4)

    def fault() -> None:
        server.kill(signal.SIGKILL)
        assert not port_answers(port)
        time.sleep(2.0)  # pushes keep arriving while the broker is gone
        stack.redis_server(port)

    load.run(fault, at=1.5)
    assert load.accepted and not load.refused, load.refused
    events = assert_recovered(load.accepted)
    record(
        "Redis killed and restarted under load",
        load,
        faults=int(not server.alive),
        events=events,
        classified=count_classified(load.accepted),
    )
