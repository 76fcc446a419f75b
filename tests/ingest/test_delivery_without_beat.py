"""Delivery without beat (issue 14): an article committed but never queued, or whose
message died with a worker, is queued again by a sweep that every worker runs at start-up
and at a short interval, whether beat runs or not."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from bench.processes import Stack
from ingest import services
from ingest.models import Article, ArticleStatus, Feed
from ingest.payloads import ArticleDraft
from registry.shipped import load_shipped_registry
from tests.support.processes import stack_on_the_test_database, wait_for

BODY = (
    "Turkish warplanes struck Kurdish militant positions near Duhok on Monday, "
    "the Turkish defence ministry said."
)


def _age(article: Article, seconds: float) -> None:
    Article.objects.filter(pk=article.pk).update(
        updated_at=timezone.now() - timedelta(seconds=seconds)
    )


@pytest.mark.django_db
def test_the_sweep_waits_a_minute_by_default_not_a_quarter_of_an_hour() -> None:
    assert settings.TRACKER_SWEEP_AFTER_SECONDS <= 60
    assert 0 < settings.TRACKER_WORKER_SWEEP_EVERY_SECONDS <= 60


def _status(article: Article) -> str:
    return str(Article.objects.get(pk=article.pk).status)


@pytest.mark.django_db
def test_an_article_a_dead_worker_held_is_queued_again_but_a_retry_keeps_its_back_off(
    make_article: Callable[..., Article],
) -> None:
    """Embedded mode: what the sweep queues is classified in-process at once."""
    orphan = make_article(status=ArticleStatus.QUEUED, attempts=1)
    retrying = make_article(status=ArticleStatus.QUEUED, attempts=1, last_error="Boom: db")
    fresh = make_article(status=ArticleStatus.RECEIVED)
    never_queued = make_article(status=ArticleStatus.RECEIVED)
    for article in (orphan, retrying, never_queued):
        _age(article, 90)
    assert services.sweep_stuck_articles() == 2
    assert [_status(a) for a in (orphan, never_queued)] == [ArticleStatus.CLASSIFIED] * 2
    assert [_status(a) for a in (retrying, fresh)] == [ArticleStatus.QUEUED, ArticleStatus.RECEIVED]
    _age(retrying, services.RETRY_BACKOFF_MAX_SECONDS + 90)
    assert services.sweep_stuck_articles() == 1
    assert _status(retrying) == ArticleStatus.CLASSIFIED


# --- with a real worker, and no beat ---------------------------------------------------------


@pytest.fixture
def stack(tmp_path: Path, transactional_db: None, redis_url: str) -> Iterator[Stack]:
    redis.Redis.from_url(redis_url).flushdb()
    load_shipped_registry()
    processes = stack_on_the_test_database(tmp_path)
    yield processes
    processes.close(signal.SIGKILL)


def _committed_never_queued(feed: Feed, external_id: str) -> Article:
    """What a web process killed between commit and enqueue leaves behind."""
    draft: Any = ArticleDraft(
        external_id=external_id,
        url=f"https://wire.example/{external_id}",
        title=f"Strike {external_id}",
        body=f"{BODY} ({external_id})",
        published_at=timezone.now(),
    )
    result = services.receive_articles(feed=feed, drafts=[draft], enqueue=False)
    return Article.objects.get(pk=result.created[0])


def _classified(article: Article) -> Callable[[], bool]:
    return lambda: _status(article) == ArticleStatus.CLASSIFIED


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.slow
def test_a_worker_sweeps_at_start_up_and_at_an_interval_without_beat(
    stack: Stack, redis_url: str
) -> None:
    feed = Feed.objects.create(slug="wire", name="Wire", secret="wire-secret-0123456789")
    waiting = _committed_never_queued(feed, "before-start")
    _age(waiting, 120)  # the web process died two minutes ago
    stack.worker(redis_url, TRACKER_WORKER_SWEEP_EVERY_SECONDS="2")  # and no beat
    wait_for(_classified(waiting), 30, "the start-up sweep to queue the waiting article")
    later = _committed_never_queued(feed, "while-running")
    _age(later, 120)
    wait_for(_classified(later), 30, "the interval sweep to queue the article")
