"""Delivery without beat, drilled (issue 14): no beat runs, only gunicorn and a celery
worker with the default sweep settings. kill -9 of gunicorn under 50 concurrent pushes
(while its requests hang between commit and enqueue), and kill -9 of the worker in the
middle of an article: every article is classified once, and the time from the kill until
every article is classified is printed."""

from __future__ import annotations

import json
import random
import signal
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from bench.articles import article
from bench.processes import Process, Stack
from events.integrity.verify import verify_log
from ingest.models import Article, ArticleStatus, Feed
from ingest.signatures import sign
from registry.shipped import load_shipped_registry
from tests.faults.recovery import assert_incidents_exactly_once, wait_classified
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
PUSHES = 50
RECOVERY_LIMIT = 120.0  # "picked up within 2 minutes"


@pytest.fixture
def stack(tmp_path: Path, transactional_db: None, redis_url: str) -> Iterator[Stack]:
    redis.Redis.from_url(redis_url).flushdb()
    load_shipped_registry()
    Feed.objects.create(slug="drill", name="Drill", secret=SECRET)
    processes = stack_on_the_test_database(tmp_path)
    yield processes
    processes.close(signal.SIGKILL)


class Blackhole:
    """A 'broker' that accepts connections and never answers: a publish hangs after the
    article's commit, as if the web process were killed between commit and enqueue."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(256)
        self.url = f"redis://127.0.0.1:{self.server.getsockname()[1]}/0"
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.held.append(connection)

    def close(self) -> None:
        self.server.close()
        for connection in self.held:
            connection.close()


def _payloads(seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [article(rng, i, prefix=f"delivery{seed}") for i in range(PUSHES)]


def _push(url: str, payload: dict[str, Any], timeout: float = 60) -> int | None:
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json", "X-Signature": sign(SECRET, body)}
    try:
        response = httpx.post(url, content=body, headers=headers, timeout=timeout)
    except httpx.HTTPError:
        return None
    return response.status_code


def _web_process(stack: Stack) -> Process:
    return [p for p in stack.processes if p.name == "web" and p.alive][-1]


def _all_ids(payloads: list[dict[str, Any]]) -> list[int]:
    external = [p["external_id"] for p in payloads]
    return list(Article.objects.filter(external_id__in=external).values_list("pk", flat=True))


def _record(drill: str, recovery: float, ids: list[int], stuck: int, events: int) -> None:
    figure("delivery drills: articles classified once", len(ids))
    note(
        f"{drill}: {PUSHES} concurrent pushes, no beat; {stuck} article(s) left waiting by the "
        f"kill; every one of {len(ids)} classified once ({events} incident events) "
        f"{recovery:.1f} s after the kill (limit {RECOVERY_LIMIT:.0f} s); verify_log ok"
    )
    print(f"{drill}: time to recovery {recovery:.1f} s")


def test_gunicorn_killed_between_commit_and_enqueue_under_50_concurrent_pushes(
    stack: Stack, redis_url: str
) -> None:
    blackhole = Blackhole()
    try:
        hanging_url = stack.web(blackhole.url)
        stack.worker(redis_url)  # default sweep settings, no beat
        payloads = _payloads(seed=11)
        with ThreadPoolExecutor(PUSHES) as pool:
            first = [
                pool.submit(_push, f"{hanging_url}/api/ingest/drill/articles", p) for p in payloads
            ]
            wait_for(
                lambda: Article.objects.count() >= PUSHES // 2, 60, "pushes committed, hanging"
            )
            _web_process(stack).kill(signal.SIGKILL)
            killed_at = time.monotonic()
            answers = [f.result() for f in first]
    finally:
        blackhole.close()
    assert answers.count(202) == 0, "no push could finish: each hung after its commit"
    stuck = Article.objects.filter(status=ArticleStatus.RECEIVED).count()
    assert stuck >= PUSHES // 2
    # The feed sends what it got no answer for again: the committed ones are duplicates
    # (200, not queued again by the push), the others new (202).
    url = f"{stack.web(redis_url)}/api/ingest/drill/articles"
    resent = [_push(url, p) for p in payloads]
    assert set(resent) <= {200, 202} and resent.count(200) >= stuck
    ids = _all_ids(payloads)
    assert len(ids) == PUSHES
    wait_classified(ids, RECOVERY_LIMIT + 30)
    recovery = time.monotonic() - killed_at
    events = assert_incidents_exactly_once(ids)
    assert verify_log().ok
    _record("gunicorn kill -9 under 50 concurrent pushes", recovery, ids, stuck, events)
    assert recovery <= RECOVERY_LIMIT


def _busy_mid_task() -> bool:
    return Article.objects.filter(status=ArticleStatus.QUEUED, attempts__gte=1).exists()


def test_worker_killed_mid_article_without_beat(stack: Stack, redis_url: str) -> None:
    url = f"{stack.web(redis_url)}/api/ingest/drill/articles"
    doomed = stack.worker(redis_url, name="doomed")  # default sweep settings, no beat
    payloads = _payloads(seed=12)
    with ThreadPoolExecutor(PUSHES) as pool:
        answers = list(pool.map(lambda p: _push(url, p), payloads))
    assert answers == [202] * PUSHES
    wait_for(_busy_mid_task, 60, "an article in the middle of classification")
    doomed.kill(signal.SIGKILL)
    killed_at = time.monotonic()
    held = Article.objects.filter(status=ArticleStatus.QUEUED, attempts__gte=1).count()
    stack.worker(redis_url, name="successor")
    ids = _all_ids(payloads)
    wait_classified(ids, RECOVERY_LIMIT + 30)
    recovery = time.monotonic() - killed_at
    events = assert_incidents_exactly_once(ids)
    assert verify_log().ok
    _record("worker kill -9 mid-article", recovery, ids, held, events)
    assert recovery <= RECOVERY_LIMIT
