"""Write use cases for feeds, as newsroom staff run them from the admin or a command.

A feed's secret signs what it pushes (HMAC-SHA256), so a new feed gets a strong random
secret rather than one somebody typed. Rotating it keeps the previous secret valid for an
overlap (TRACKER_SECRET_OVERLAP_HOURS), so the feed's operator can switch without refused
pushes; `end_secret_overlap` ends it at once, for a secret that leaked. Every change is
written to the audit trail with the user who made it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import audit
from .models import AuditAction, Feed

SECRET_BYTES = 32  # 256 bits, the HMAC-SHA256 key size


def new_feed_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


@transaction.atomic
def create_feed(
    *, slug: str, name: str, active: bool = True, secret: str | None = None, by: Any = None
) -> Feed:
    feed = Feed.objects.create(
        slug=slug, name=name, secret=secret or new_feed_secret(), active=active
    )
    audit.record(
        by=by,
        action=AuditAction.FEED_CREATED,
        object_type="feed",
        object_id=feed.pk,
        summary=f"feed {slug!r} created" + (" with a given secret" if secret else ""),
    )
    return feed


@dataclass(frozen=True)
class RotatedSecret:
    slug: str
    secret: str
    previous_valid_until: Any  # datetime


@transaction.atomic
def rotate_feed_secrets(*, feed_ids: list[int], by: Any = None) -> list[RotatedSecret]:
    """Give each feed a new secret, the old one valid for the overlap; return the new ones
    so staff can pass them on once (they are never shown again)."""
    until = timezone.now() + timedelta(hours=settings.TRACKER_SECRET_OVERLAP_HOURS)
    rotated: list[RotatedSecret] = []
    for feed in Feed.objects.select_for_update().filter(pk__in=feed_ids).order_by("slug"):
        feed.previous_secret, feed.previous_secret_expires_at = feed.secret, until
        feed.secret = new_feed_secret()
        feed.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])
        audit.record(
            by=by,
            action=AuditAction.SECRET_ROTATED,
            object_type="feed",
            object_id=feed.pk,
            summary=f"secret of {feed.slug!r} rotated; the previous one valid until "
            f"{until:%Y-%m-%d %H:%M} UTC",
        )
        rotated.append(RotatedSecret(feed.slug, feed.secret, until))
    return rotated


@transaction.atomic
def end_secret_overlap(*, feed_ids: list[int], by: Any = None) -> int:
    """Stop accepting the previous secret now (it leaked: the overlap is no kindness)."""
    count = 0
    for feed in (
        Feed.objects.select_for_update().filter(pk__in=feed_ids).exclude(previous_secret="")
    ):
        feed.previous_secret, feed.previous_secret_expires_at = "", None
        feed.save(update_fields=["previous_secret", "previous_secret_expires_at"])
        audit.record(
            by=by,
            action=AuditAction.SECRET_ROTATED,
            object_type="feed",
            object_id=feed.pk,
            summary=f"previous secret of {feed.slug!r} revoked",
        )
        count += 1
    return count


@transaction.atomic
def update_feed(*, feed: Feed, changed: list[str], by: Any = None) -> Feed:
    """Save an edit of a feed's slug, name, switches; a slug change (the push URL changes
    with it) has its own audit entry."""
    old = Feed.objects.select_for_update().get(pk=feed.pk)
    feed.save()
    if old.slug != feed.slug:
        audit.record(
            by=by,
            action=AuditAction.SLUG_CHANGED,
            object_type="feed",
            object_id=feed.pk,
            summary=f"slug {old.slug!r} -> {feed.slug!r}",
        )
    others = [name for name in changed if name != "slug"]
    if others:
        audit.record(
            by=by,
            action=AuditAction.FEED_CHANGED,
            object_type="feed",
            object_id=feed.pk,
            summary=f"{feed.slug!r}: changed {', '.join(sorted(others))}",
        )
    return feed


def set_feeds_active(*, feed_ids: list[int], active: bool, by: Any = None) -> int:
    """Deactivated feeds stay (their articles point at them) but their pushes are refused."""
    with transaction.atomic():
        count = Feed.objects.filter(pk__in=feed_ids).update(active=active)
        for feed_id in feed_ids:
            audit.record(
                by=by,
                action=AuditAction.FEED_CHANGED,
                object_type="feed",
                object_id=feed_id,
                summary="activated" if active else "deactivated",
            )
    return count
