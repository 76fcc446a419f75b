"""Read queries of the ingestion side."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from .models import Article, ArticleStatus, Feed

WAITING = (ArticleStatus.RECEIVED, ArticleStatus.QUEUED)


def active_feed(*, slug: str) -> Feed | None:
    """The feed a push is addressed to; None when unknown or switched off."""
    return Feed.objects.filter(slug=slug, active=True).first()


def stuck_article_ids(
    *, not_touched_since: datetime, statuses: Collection[str] = WAITING, limit: int = 1000
) -> list[int]:
    """Articles still waiting for a worker (received or queued) and untouched for a while."""
    return list(
        Article.objects.filter(status__in=statuses, updated_at__lt=not_touched_since)
        .order_by("updated_at")
        .values_list("pk", flat=True)[:limit]
    )


def articles_by_id(*, ids: Collection[int]) -> dict[int, Article]:
    return {a.pk: a for a in Article.objects.filter(pk__in=ids).select_related("feed")}


def signing_secrets(*, feed: Feed, now: datetime) -> list[str]:
    """The secrets a push to `feed` may be signed with: the current one, and the previous
    one while its rotation overlap lasts."""
    secrets = [feed.secret]
    expires = feed.previous_secret_expires_at
    if feed.previous_secret and expires is not None and now < expires:
        secrets.append(feed.previous_secret)
    return secrets
