"""The whole ingestion path with real processes: gunicorn, celery workers and beat, Redis,
PostgreSQL. Articles go in over HTTP with signatures; the workers' incidents are read back
from the log."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from django.db import connection, transaction

from bench.processes import Stack, free_port
from events import store
from events.models import Event
from ingest.article_files import draft_from_text
from ingest.models import Article, ArticleStatus, Feed, IncidentKey, IncidentSupport
from ingest.signatures import sign
from registry.shipped import load_shipped_registry
from tests.support.processes import stack_on_the_test_database, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
CLASSIFY_TIMEOUT = 180
# Beat sweeps every second for articles waiting more than a second (the worker decides).
FAST_SWEEP = {"TRACKER_SWEEP_EVERY_SECONDS": "1", "TRACKER_SWEEP_AFTER_SECONDS": "1"}


@pytest.fixture
def stack(tmp_path: Path, transactional_db: None, redis_url: str) -> Iterator[Stack]:
    redis.Redis.from_url(redis_url).flushdb()  # no stale task of an earlier run
    # Transactional tests empty every table, the registry migration 0002 loaded included.
    load_shipped_registry()
    processes = stack_on_the_test_database(tmp_path)
    yield processes
    processes.close(signal.SIGKILL)  # before the test database is flushed: they hold connections


@pytest.fixture
def feed(transactional_db: None) -> Feed:
    return Feed.objects.create(slug="seeds", name="Seeds", secret="seeds-secret-0123456789")


def seed_payloads() -> list[dict[str, Any]]:
    manifest = json.loads((SEEDS / "manifest.json").read_text())
    payloads = []
    for path in sorted(SEEDS.glob("*.txt")):
        draft = draft_from_text(path, manifest)
        payloads.append(
            {
                "external_id": draft.external_id,
                "url": f"https://seeds.example/{draft.external_id}",
                "title": draft.title,
                "body": draft.body,
                "published_at": draft.published_at.isoformat() if draft.published_at else None,
                "outlet": draft.outlet or None,
            }
        )
    return payloads


def push(base_url: str, feed: Feed, payload: Any, client: httpx.Client | None = None) -> Any:
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json", "X-Signature": sign(feed.secret, body)}
    url = f"{base_url}/api/ingest/{feed.slug}/articles"
    if client is not None:
        return client.post(url, content=body, headers=headers)
    return httpx.post(url, content=body, headers=headers, timeout=30)


def wait_classified(ids: list[int], stack: Stack, timeout: float = CLASSIFY_TIMEOUT) -> None:
    def done() -> bool:
        statuses = set(Article.objects.filter(pk__in=ids).values_list("status", flat=True))
        return statuses == {ArticleStatus.CLASSIFIED}

    try:
        wait_for(done, timeout, f"articles {ids} classified")
    except AssertionError:
        raise AssertionError(f"not classified: {diagnosis(stack)}") from None


def diagnosis(stack: Stack) -> str:
    logs = "\n".join(f"--- {p.name}\n{p.log()}" for p in stack.processes)
    rows = list(Article.objects.values_list("pk", "status", "attempts", "last_error"))
    return f"{rows}\n{logs}"


def article_events(article_id: int) -> list[Event]:
    """Every incident event an article caused, straight from the log's table.

    Not through `read_all`: its visibility fence waits for every older transaction in the
    cluster, other databases' included, and this test only needs what has committed.
    """
    return list(Event.objects.filter(metadata__source_article=article_id).order_by("position"))


def assert_classified_once(article_id: int) -> None:
    events = article_events(article_id)
    supports = IncidentSupport.objects.filter(article_id=article_id, active=True)
    assert len(events) == supports.count(), "one event per incident the article supports"
    assert len({e.event_id for e in events}) == len(events)
    assert all(c == 1 for c in Counter(e.stream_id for e in events).values())


def test_seeds_pushed_over_http_are_classified_by_a_worker_into_incidents(
    stack: Stack, feed: Feed, redis_url: str
) -> None:
    base_url = stack.web(redis_url)
    stack.worker(redis_url)
    ids = []
    for payload in seed_payloads():
        response = push(base_url, feed, payload)
        assert response.status_code == 202, response.text
        ids += response.json()["ids"]
    wait_classified(ids, stack)

    by_external = {a.external_id: a for a in Article.objects.filter(pk__in=ids)}
    for article in by_external.values():
        assert article.attempts == 1 and article.classifier_version
        assert_classified_once(article.pk)
    reported = [e for pk in ids for e in article_events(pk) if e.type == "IncidentReported"]
    assert len(reported) >= 10, "the seeds report many incidents"
    for event in reported:
        assert event.data["source"]["article_id"] in ids and event.data["source"]["evidence"]

    # The US strike in Baghdad on 4 January 2024: one incident, sources 003 and 004,
    # whatever target and place each of them names.
    roundup = by_external["003_1f61dce9e2523de1"]
    summary = by_external["004_0b8bf23ecc8ee3f7"]
    both = {roundup.pk, summary.pk}
    strikes = [
        key
        for key in IncidentKey.objects.filter(
            type="attack", actor="USA", occurred_on=date(2024, 1, 4)
        )
        if both <= {s.article_id for s in key.supports.filter(active=True)}
    ]
    assert len(strikes) == 1, list(IncidentKey.objects.values())
    stream = store.read_stream(f"incident-{strikes[0].incident_id}")
    assert [e.type for e in stream] == ["IncidentReported", "IncidentCorroborated"]
    assert {e.data["source"]["article_id"] for e in stream} == both


def test_the_same_article_pushed_100_times_at_once_is_one_article_one_set_of_incidents(
    stack: Stack, feed: Feed, redis_url: str
) -> None:
    base_url = stack.web(redis_url)
    stack.worker(redis_url)
    payload = seed_payloads()[4]
    with httpx.Client(timeout=60) as client, ThreadPoolExecutor(max_workers=32) as pool:
        responses = list(pool.map(lambda _: push(base_url, feed, payload, client), range(100)))

    codes = Counter(r.status_code for r in responses)
    assert codes == {202: 1, 200: 99}, codes
    ids = {tuple(r.json()["ids"]) for r in responses}
    assert len(ids) == 1
    [(article_id,)] = ids
    assert Article.objects.count() == 1
    wait_classified([article_id], stack)
    assert Article.objects.get(pk=article_id).attempts == 1
    assert_classified_once(article_id)
    assert IncidentSupport.objects.filter(article_id=article_id).exists()


def _waiting_on_incident_lookup() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = 'ingest_incidentkey' AND NOT l.granted "
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        return bool(cursor.fetchone()[0])


def test_a_worker_killed_mid_task_leaves_the_article_to_be_classified_once(
    stack: Stack, feed: Feed, redis_url: str
) -> None:
    base_url = stack.web(redis_url)
    first = stack.worker(redis_url, name="doomed")
    # Hold the incident lookup table so the worker stops inside its transaction, after it
    # has appended incident events and before it can commit them.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE ingest_incidentkey IN SHARE MODE")
        response = push(base_url, feed, seed_payloads()[4])
        assert response.status_code == 202
        [article_id] = response.json()["ids"]
        wait_for(_waiting_on_incident_lookup, 120, "the worker blocked mid-task")
        first.kill(signal.SIGKILL)
    assert not first.alive

    article = Article.objects.get(pk=article_id)
    assert (article.status, article.attempts) == (ArticleStatus.QUEUED, 1), diagnosis(stack)
    assert not article_events(article_id), "the killed transaction left nothing"

    stack.worker(redis_url, name="successor", **FAST_SWEEP)
    stack.beat(redis_url, **FAST_SWEEP)
    wait_classified([article_id], stack)
    assert Article.objects.get(pk=article_id).attempts == 2, diagnosis(stack)
    assert_classified_once(article_id)


def _pool_children(worker_pid: int) -> list[int]:
    found = subprocess.run(
        ["pgrep", "-P", str(worker_pid)], capture_output=True, text=True, check=False
    )
    return [int(pid) for pid in found.stdout.split()]


def test_a_pool_process_killed_mid_task_hands_the_task_back_at_once(
    stack: Stack, feed: Feed, redis_url: str
) -> None:
    """acks_late + reject_on_worker_lost: no sweep needed when only the child dies."""
    base_url = stack.web(redis_url)
    worker = stack.worker(redis_url)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE ingest_incidentkey IN SHARE MODE")
        response = push(base_url, feed, seed_payloads()[4])
        [article_id] = response.json()["ids"]
        wait_for(_waiting_on_incident_lookup, 120, "the worker blocked mid-task")
        [child] = _pool_children(worker.popen.pid)
        os.kill(child, signal.SIGKILL)
        wait_for(lambda: "WorkerLostError" in worker.log(), 30, "the worker saw its child die")
    wait_classified([article_id], stack)
    assert worker.alive
    assert Article.objects.get(pk=article_id).attempts == 2, diagnosis(stack)
    assert_classified_once(article_id)


def test_redis_down_while_pushing_then_the_sweep_queues_every_article(
    stack: Stack, feed: Feed
) -> None:
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    throwaway = stack.redis_server(port)
    base_url = stack.web(broker)
    throwaway.stop()

    ids, slowest = [], 0.0
    for payload in seed_payloads():
        started = time.monotonic()
        response = push(base_url, feed, payload)
        slowest = max(slowest, time.monotonic() - started)
        assert response.status_code == 202, response.text
        ids += response.json()["ids"]
    # the web tries the broker once (max_retries=0) and answers; kombu's default would
    # retry for minutes. 15 s leaves room for a loaded two-core machine.
    assert slowest < 15, f"a push waited {slowest:.1f}s for the dead broker"
    statuses = set(Article.objects.filter(pk__in=ids).values_list("status", flat=True))
    assert statuses == {ArticleStatus.RECEIVED}

    stack.redis_server(port)
    stack.worker(broker, **FAST_SWEEP)
    stack.beat(broker, **FAST_SWEEP)
    wait_classified(ids, stack)
    for article_id in ids:
        assert_classified_once(article_id)


SWEEP_NOW = (
    "from datetime import timedelta; from ingest.services import sweep_stuck_articles; "
    "print(sweep_stuck_articles(older_than=timedelta(0)))"
)


def test_the_sweep_leaves_a_draining_backlog_alone_and_requeues_lost_messages(
    stack: Stack, feed: Feed, redis_url: str
) -> None:
    base_url = stack.web(redis_url)  # no worker yet: the messages wait in Redis
    ids = [push(base_url, feed, payload).json()["ids"][0] for payload in seed_payloads()[3:]]
    broker = redis.Redis.from_url(redis_url)
    assert broker.llen("celery") == len(ids)
    statuses = set(Article.objects.filter(pk__in=ids).values_list("status", flat=True))
    assert statuses == {ArticleStatus.QUEUED}

    assert stack.manage(redis_url, "shell", "-c", SWEEP_NOW).split()[-1] == "0"
    assert broker.llen("celery") == len(ids), "a backlog gets no duplicate messages"

    broker.delete("celery")  # the messages are lost (a Redis restart without persistence)
    assert stack.manage(redis_url, "shell", "-c", SWEEP_NOW).split()[-1] == str(len(ids))
    assert broker.llen("celery") == len(ids)

    stack.worker(redis_url)
    wait_classified(ids, stack)
    for article_id in ids:
        assert Article.objects.get(pk=article_id).attempts == 1
        assert_classified_once(article_id)
