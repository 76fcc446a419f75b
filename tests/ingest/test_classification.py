"""Classifying one article with the real classifier, in this process: idempotency, an
updated article, and the failure paths of the Celery task (run eagerly, in process)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import Client

from events import store
from events.domain import stream_id_for
from ingest import services
from ingest.models import Article, ArticleStatus, IncidentSupport
from ingest.payloads import content_hash
from ingest.signatures import sign
from ingest.tasks import MAX_RETRIES, classify_article
from registry.models import Place
from registry.shipped import load_shipped_registry

pytestmark = pytest.mark.django_db  # the registry loaded by migration 0002 is needed

SEED_004 = (Path(__file__).resolve().parents[2] / "seeds" / "004_0b8bf23ecc8ee3f7.txt").read_text()
CONDEMNATION = "Furious Condemnation by Iraqi Leadership"
NEXT_SECTION = "Iraq Announces End of US-led Coalition Presence"


def log_size() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM events_event")
        return int(cursor.fetchone()[0])


def supported(article: Article) -> set[str]:
    return {
        str(i)
        for i in IncidentSupport.objects.filter(article=article, active=True).values_list(
            "incident_id", flat=True
        )
    }


@pytest.fixture
def seed_article(make_article: Callable[..., Article]) -> Article:
    title, body = SEED_004.split("\n", 1)
    return make_article("004", body=body.strip(), title=title.strip())


def test_classifying_twice_appends_nothing_the_second_time(seed_article: Article) -> None:
    first = services.classify_article(article_id=seed_article.pk)
    after_first = log_size()
    assert after_first > 0 and "reported" in first
    assert services.classify_article(article_id=seed_article.pk) == "already classified"
    # Even forced to run again (status reset, as "classify again" does): nothing new.
    Article.objects.filter(pk=seed_article.pk).update(status=ArticleStatus.RECEIVED)
    again = services.classify_article(article_id=seed_article.pk)
    assert again.startswith("0 reported, 0 corroborated")
    assert log_size() == after_first
    article = Article.objects.get(pk=seed_article.pk)
    assert article.status == ArticleStatus.CLASSIFIED and article.classifier_version


def test_an_updated_article_retracts_what_it_no_longer_says(seed_article: Article) -> None:
    services.classify_article(article_id=seed_article.pk)
    before = supported(seed_article)
    versions = {i: store.stream_version(stream_id_for(i)) for i in before}

    cut_from, cut_to = seed_article.body.index(CONDEMNATION), seed_article.body.index(NEXT_SECTION)
    new_body = (
        seed_article.body[:cut_from]
        + "Turkish forces deployed 500 troops to Bashiqa on January 5, 2024.\n\n"
        + seed_article.body[cut_to:]
    )
    Article.objects.filter(pk=seed_article.pk).update(
        body=new_body,
        content_hash=content_hash(seed_article.title, new_body),
        status=ArticleStatus.RECEIVED,
    )
    services.classify_article(article_id=seed_article.pk)
    after = supported(seed_article)

    gone, new, kept = before - after, after - before, before & after
    assert gone and new and kept
    for incident in gone:
        last = store.read_stream(stream_id_for(incident))[-1]
        assert last.type == "IncidentRetracted"
        assert (last.data["reason"], last.data["article_id"]) == ("source updated", seed_article.pk)
    for incident in kept:  # unchanged ones stay as they were
        assert store.stream_version(stream_id_for(incident)) == versions[incident]
    new_events = [store.read_stream(stream_id_for(i))[0] for i in new]
    assert all(e.type == "IncidentReported" for e in new_events)
    assert any(e.data["type"] == "deploy" and e.data["actor"] == "TUR" for e in new_events)


def test_bad_data_fails_the_article_at_once_with_its_error(
    make_article: Callable[..., Article],
) -> None:
    # A registry typo (a two-letter country) flows into the event: the domain refuses it.
    Place.objects.create(
        name="Zarqa Springs", aliases=["Zarqa Springs"], country="JO", precision="city"
    )
    article = make_article(
        title="Strike",
        body="US warplanes struck a militia base in Zarqa Springs on January 4, 2024.",
    )
    result = classify_article.apply((article.pk,), throw=False)
    assert result.failed()
    article.refresh_from_db()
    assert article.status == ArticleStatus.FAILED
    assert article.attempts == 1, "bad data is not retried"
    assert "DomainError" in article.last_error and "country" in article.last_error
    assert log_size() == 0


@pytest.fixture
def incident_lookup_locked() -> Iterator[None]:
    """Another session holds the lookup table: every classification times out on it."""
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        other = connections.create_connection("default")
        try:
            other.set_autocommit(False)
            with other.cursor() as cursor:
                cursor.execute("LOCK TABLE ingest_incidentkey IN SHARE MODE")
                locked.set()
                release.wait(30)
            other.rollback()
        finally:
            other.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(10)
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '100ms'")
    yield
    release.set()
    holder.join(10)
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = 0")


@pytest.fixture
def eager_failures_returned() -> Iterator[None]:
    # An eager retry re-applies the task without the caller's throw=False (Celery passes
    # only retries=n), so the setting decides whether the failure is raised or returned.
    conf = classify_article.app.conf
    before, conf.task_eager_propagates = conf.task_eager_propagates, False
    yield
    conf.task_eager_propagates = before


@pytest.mark.postgres
def test_a_task_that_keeps_failing_is_retried_then_marked_failed_with_its_error(
    seed_article: Article, incident_lookup_locked: None, eager_failures_returned: None
) -> None:
    result = classify_article.apply((seed_article.pk,), throw=False)
    assert result.failed()
    article = Article.objects.get(pk=seed_article.pk)
    assert article.status == ArticleStatus.FAILED
    assert article.attempts == MAX_RETRIES + 1
    assert "lock timeout" in article.last_error
    assert not IncidentSupport.objects.filter(article=article).exists()


def test_retries_back_off_below_the_visibility_timeout(settings: object) -> None:
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]  # type: ignore[attr-defined]
    assert classify_article.acks_late and classify_article.reject_on_worker_lost
    assert classify_article.retry_backoff_max < visibility  # type: ignore[attr-defined]
    assert "ingest.tasks.sweep_stuck_articles" in {
        entry["task"]
        for entry in settings.CELERY_BEAT_SCHEDULE.values()  # type: ignore[attr-defined]
    }


@pytest.mark.django_db(transaction=True)
def test_embedded_mode_classifies_a_push_in_process_after_commit(feed: object) -> None:
    """No broker configured (`make run`): the task runs eagerly once the article commits."""
    assert classify_article.app.conf.task_always_eager
    load_shipped_registry()  # transactional tests empty the registry
    title, body = SEED_004.split("\n", 1)
    payload = {
        "external_id": "004",
        "url": "https://seeds.example/004",
        "title": title,
        "body": body,
        "published_at": "2024-01-05",
    }
    raw = json.dumps(payload).encode()
    response = Client().post(
        "/api/ingest/wire/articles",
        data=raw,
        content_type="application/json",
        headers={"X-Signature": sign("wire-secret-0123456789", raw)},
    )
    assert response.status_code == 202
    article = Article.objects.get(pk=response.json()["ids"][0])
    assert article.status == ArticleStatus.CLASSIFIED and article.attempts == 1
    assert IncidentSupport.objects.filter(article=article).exists()
    assert log_size() == IncidentSupport.objects.filter(article=article).count()
