"""Ingestion use cases: receive articles, queue and sweep them, classify one article.

The database is the queue's memory; Redis only carries the wake-up. An article is
committed first, its classification queued after commit; if the broker is down the
article waits as `received` and `sweep_stuck_articles` queues it again later.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerOperationalError

from events.projections import request_catch_up
from registry.services import propose_learned_aliases

from .classify import Extraction
from .classify.types import ArticleInput, ExtractedEvent
from .errors import ArticleNotFound, StaleContent
from .incidents.building import BuildSummary, build_incidents
from .models import Article, ArticleStatus, Feed
from .payloads import ArticleDraft
from .push_records import claim_delivery
from .selectors import WAITING, stuck_article_ids

logger = logging.getLogger(__name__)

# The classification task's longest retry back-off (ingest.tasks.BACKOFF_MAX_SECONDS).
RETRY_BACKOFF_MAX_SECONDS = 600
# An article remembers this many of its replaced texts (to refuse them again as old).
EARLIER_HASHES_KEPT = 20

# What a publish raises when the broker cannot be reached.
BROKER_ERRORS = (BrokerOperationalError, ConnectionError, OSError)


@dataclass
class ReceiveResult:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)  # same external id, new content
    duplicates: list[int] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return [*self.created, *self.updated, *self.duplicates]

    @property
    def to_classify(self) -> list[int]:
        return [*self.created, *self.updated]


def receive_articles(
    *,
    feed: Feed,
    drafts: Sequence[ArticleDraft],
    enqueue: bool = True,
    delivery_id: str | None = None,
) -> ReceiveResult:
    """Store the drafts (all or nothing) and queue the new or changed ones after commit.

    A re-push is a no-op answered with the stored id: same feed and external id with the
    same content, or the same canonical URL, or the same content hash in this feed. The same
    external id with new content updates the article and classifies it again, unless the
    update is older than the stored version (StaleContent: nothing changes). Another feed's
    article with the same URL or text is stored too, linked to the first as its copy.
    A `delivery_id` seen before raises ReplayedDelivery, also with nothing stored.
    """
    result = ReceiveResult()
    with transaction.atomic():
        if delivery_id is not None:
            claim_delivery(feed=feed, delivery_id=delivery_id)
        for draft in drafts:
            article_id, outcome = _receive_one(feed, draft)
            getattr(result, outcome).append(article_id)
        if enqueue and result.to_classify:
            ids = result.to_classify
            transaction.on_commit(lambda: enqueue_classification(article_ids=ids))
    return result


def _receive_one(feed: Feed, draft: ArticleDraft) -> tuple[int, str]:
    existing = (
        Article.objects.select_for_update().filter(feed=feed, external_id=draft.external_id).first()
    )
    if existing is not None:
        if existing.content_hash == draft.content_hash:
            return existing.pk, "duplicates"
        refuse_stale_update(stored=existing, draft=draft)
        return _update_content(existing, draft)
    same_in_feed = _same_in_feed(feed, draft).values_list("pk", flat=True).first()
    if same_in_feed is not None:
        return same_in_feed, "duplicates"
    try:
        # A savepoint: when a concurrent push of the same article wins the unique index,
        # only this insert is undone and the winner's row answers.
        with transaction.atomic():
            article = Article.objects.create(feed=feed, **_article_fields(feed, draft))
        return article.pk, "created"
    except IntegrityError:
        return _existing_duplicate(feed, draft), "duplicates"


def refuse_stale_update(*, stored: Article, draft: ArticleDraft) -> None:
    """Raise StaleContent unless `draft` is at least as new as the stored version, by the
    feed's sequence when both carry one, else by their updated_at; a feed that sends
    neither cannot bring back a text the article already replaced."""
    name = f"{draft.external_id!r}"
    if stored.sequence is not None and draft.sequence is not None:
        if draft.sequence < stored.sequence:
            raise StaleContent(
                f"{name}: sequence {draft.sequence} is older than the stored {stored.sequence}"
            )
        return
    if stored.source_updated_at is not None:
        if draft.updated_at is None and draft.sequence is None:
            raise StaleContent(
                f"{name}: the stored version has updated_at "
                f"{stored.source_updated_at.isoformat()}; send the update's updated_at"
            )
        if draft.updated_at is not None and draft.updated_at < stored.source_updated_at:
            raise StaleContent(
                f"{name}: updated_at {draft.updated_at.isoformat()} is older than the stored "
                f"{stored.source_updated_at.isoformat()}"
            )
    elif stored.sequence is not None and draft.sequence is None:
        raise StaleContent(
            f"{name}: the stored version has sequence {stored.sequence}; send the update's"
        )
    unversioned = draft.updated_at is None and draft.sequence is None
    if unversioned and draft.content_hash in (stored.earlier_hashes or []):
        raise StaleContent(
            f"{name}: this text is an earlier version of the article; to restore it, "
            "send it with a newer updated_at or sequence"
        )


def _same_in_feed(feed: Feed, draft: ArticleDraft) -> QuerySet[Article]:
    match = Q(external_id=draft.external_id) | Q(content_hash=draft.content_hash)
    if draft.canonical_url:
        match |= Q(canonical_url=draft.canonical_url)
    return Article.objects.filter(match, feed=feed).order_by("pk")


def _original_elsewhere(feed: Feed, draft: ArticleDraft) -> int | None:
    """The first article of another feed with this text or URL: the one a copy links to."""
    match = Q(content_hash=draft.content_hash)
    if draft.canonical_url:
        match |= Q(canonical_url=draft.canonical_url)
    first = (
        Article.objects.filter(match)
        .exclude(feed=feed)
        .order_by("pk")
        .values_list("pk", "copy_of_id")
        .first()
    )
    if first is None:
        return None
    return first[1] or first[0]


def _article_fields(feed: Feed, draft: ArticleDraft) -> dict[str, object]:
    return {
        "external_id": draft.external_id,
        "url": draft.url,
        "canonical_url": draft.canonical_url,
        "title": draft.title,
        "body": draft.body,
        "outlet": draft.outlet,
        "language": draft.language,
        "published_at": draft.published_at,
        "content_hash": draft.content_hash,
        "source_updated_at": draft.updated_at,
        "sequence": draft.sequence,
        "copy_of_id": _original_elsewhere(feed, draft),
    }


def _existing_duplicate(feed: Feed, draft: ArticleDraft, *, other_than: int | None = None) -> int:
    candidates = _same_in_feed(feed, draft)
    if other_than is not None:
        candidates = candidates.exclude(pk=other_than)
    found = candidates.values_list("pk", flat=True).first()
    if found is None:  # the unique violation was not a duplicate: let it surface
        raise IntegrityError(f"article {draft.external_id!r} conflicts with a stored one")
    return found


def _update_content(article: Article, draft: ArticleDraft) -> tuple[int, str]:
    fields = _article_fields(article.feed, draft)
    fields["earlier_hashes"] = [*(article.earlier_hashes or []), article.content_hash][
        -EARLIER_HASHES_KEPT:
    ]
    try:
        with transaction.atomic():
            for name, value in fields.items():
                setattr(article, name, value)
            article.status = ArticleStatus.RECEIVED
            article.attempts = 0
            article.last_error = ""
            article.save()
    except IntegrityError:
        # The new text is another stored article's text (or URL): nothing new to read.
        return _existing_duplicate(article.feed, draft, other_than=article.pk), "duplicates"
    return article.pk, "updated"


CLASSIFY_ARTICLE_TASK = "ingest.tasks.classify_article"


def _classify_article_task() -> Any:
    """The classification task, looked up by name in the Celery app's task registry (which
    imports the task modules when first asked): the tasks call these services, so the
    services never import the tasks."""
    from celery import current_app

    return current_app.tasks[CLASSIFY_ARTICLE_TASK]


def enqueue_classification(*, article_ids: Sequence[int]) -> int:
    """Publish one task per article; a broker failure leaves it `received` for the sweep.

    One connection for the whole batch, tried once: a push must not wait for a broker
    that is down (kombu would otherwise retry for seconds), since the sweep is the retry.
    """
    if not article_ids:
        return 0
    classify_article = _classify_article_task()
    app = classify_article.app
    connections: Any = app.pool  # kombu's connection pool (celery-types calls it producers)
    queued = 0
    try:
        with connections.acquire(block=True) as connection:  # pooled: no connect per push
            if not app.conf.task_always_eager:
                connection.ensure_connection(max_retries=0)
            for article_id in article_ids:
                _publish(classify_article, article_id, connection)
                queued += 1
    except BROKER_ERRORS as error:
        logger.warning(
            "broker unavailable (%s): %d article(s) wait for the sweep",
            error,
            len(article_ids) - queued,
        )
    return queued


def _publish(task: Any, article_id: int, connection: Any) -> None:
    try:
        task.apply_async((article_id,), connection=connection, retry=False)
    except BROKER_ERRORS:
        raise
    except Exception:
        # Only in the embedded (eager) mode does the task run inside apply_async: its
        # failure is recorded on the article by the task itself, not a queueing problem.
        logger.exception("classifying article %s in-process failed", article_id)
        return
    Article.objects.filter(pk=article_id, status__in=WAITING).update(
        status=ArticleStatus.QUEUED, updated_at=timezone.now()
    )


def sweep_stuck_articles(*, older_than: timedelta | None = None) -> int:
    """Queue again the articles left waiting longer than `older_than`; return how many.

    `received` ones were never published (the broker was down). `queued` ones were, and
    are queued again only when the broker's queue is empty, so their message is gone (a
    Redis restart, a worker killed outright): while a backlog drains, its articles are
    left alone instead of gaining a duplicate message every sweep.
    """
    if older_than is None:
        older_than = timedelta(seconds=settings.TRACKER_SWEEP_AFTER_SECONDS)
    since = timezone.now() - older_than
    ids = stuck_article_ids(not_touched_since=since, statuses=[ArticleStatus.RECEIVED])
    if _classification_queue_length() == 0:
        # A worker died with it, or the broker lost it. One with an error recorded waits
        # for its retry (held by a worker, not in the queue): only after the longest
        # back-off is it queued again.
        queued = [ArticleStatus.QUEUED]
        ids += stuck_article_ids(not_touched_since=since, statuses=queued, retrying=False)
        retry_since = since - timedelta(seconds=RETRY_BACKOFF_MAX_SECONDS)
        ids += stuck_article_ids(not_touched_since=retry_since, statuses=queued, retrying=True)
    return enqueue_classification(article_ids=ids) if ids else 0


def _classification_queue_length() -> int | None:
    """Messages waiting in the broker for a worker; None when it cannot be asked."""
    app = _classify_article_task().app
    if app.conf.task_always_eager:
        return 0
    queue = app.conf.task_default_queue  # no task routes: everything goes there
    connections: Any = app.pool
    try:
        with connections.acquire(block=True) as connection:
            connection.ensure_connection(max_retries=0)
            declared = connection.default_channel.queue_declare(queue=queue, passive=True)
            return int(declared.message_count)
    except BROKER_ERRORS:
        return None
    except Exception:  # the queue was never declared: nothing waits in it
        return 0


def _extract(article: Article) -> Extraction:
    from .classify import extract_with_report  # heavy: loaded where classification runs
    from .registry_cache import current_registry

    published = article.published_at.date() if article.published_at else None
    result = extract_with_report(
        ArticleInput(
            id=str(article.pk),
            title=article.title,
            body=article.body,
            published=published,
            outlet=article.outlet or None,
            language=article.language or None,
        ),
        current_registry(),
    )
    for warning in result.warnings:
        logger.warning("article %s: %s", article.pk, warning)
    return result


def _classifier_version(events: Sequence[ExtractedEvent]) -> str:
    from . import classify

    version = getattr(classify, "CLASSIFIER_VERSION", None)
    if version is None and events:
        version = events[0].classifier_version
    return str(version or "unknown")


def classify_article(*, article_id: int) -> str:
    """Classify one article into incidents; idempotent. Returns what happened."""
    article = Article.objects.select_related("feed").filter(pk=article_id).first()
    if article is None:
        raise ArticleNotFound(f"no article {article_id}")
    if article.status == ArticleStatus.CLASSIFIED:
        return "already classified"  # a redelivered or swept duplicate: nothing to do
    Article.objects.filter(pk=article_id).update(
        attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    read_hash = article.content_hash
    extraction = _extract(article)
    events = list(extraction.events)
    version = _classifier_version(events)
    with transaction.atomic():
        article = Article.objects.select_for_update().select_related("feed").get(pk=article_id)
        if article.status == ArticleStatus.CLASSIFIED:
            return "already classified"  # another worker finished it while we read
        if article.content_hash != read_hash:
            return "superseded"  # re-pushed meanwhile; its own task reads the new text
        summary = build_incidents(article=article, events=events, classifier_version=version)
        # people the article introduced with a title: proposed to editors as aliases
        propose_learned_aliases(
            people=extraction.people, article_id=article.pk, evidence=article.title
        )
        if summary.changed:
            request_catch_up()  # after the commit: the read models follow the new events
        article.status = ArticleStatus.CLASSIFIED
        article.classifier_version = version[:40]
        article.classified_at = timezone.now()
        article.last_error = ""
        article.save()
    return describe(summary)


def describe(summary: BuildSummary) -> str:
    return (
        f"{len(summary.reported)} reported, {len(summary.corroborated)} corroborated, "
        f"{len(summary.unchanged)} unchanged, {len(summary.retracted)} retracted, "
        f"{len(summary.corrected)} corrected"
    )


def record_classification_error(*, article_id: int, error: str, final: bool) -> None:
    """Keep the error for the admin; after the last retry the article is `failed`.

    Called from the task's failure hooks, often because the database is what failed: if
    it cannot be written now, the article stays waiting and the sweep brings it back.
    """
    changes: dict[str, object] = {"last_error": error[:5000], "updated_at": timezone.now()}
    if final:
        changes["status"] = ArticleStatus.FAILED
    try:
        Article.objects.filter(pk=article_id).exclude(status=ArticleStatus.CLASSIFIED).update(
            **changes
        )
    except DatabaseError:
        logger.exception("could not record the error of article %s: %s", article_id, error)
