"""Write use cases for feeds, as newsroom staff run them from the admin.

A feed's secret signs what it pushes (HMAC-SHA256), so a new feed gets a strong random
secret rather than one somebody typed, and rotating it replaces it in one step: the old
secret stops working at once, which is the point of rotating a leaked one.
"""

from __future__ import annotations

import secrets

from django.db import transaction

from .models import Feed

SECRET_BYTES = 32  # 256 bits, the HMAC-SHA256 key size


def new_feed_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def create_feed(*, slug: str, name: str, active: bool = True) -> Feed:
    return Feed.objects.create(slug=slug, name=name, secret=new_feed_secret(), active=active)


@transaction.atomic
def rotate_feed_secrets(*, feed_ids: list[int]) -> dict[str, str]:
    """Give each feed a new secret; return them by slug so staff can pass them on once."""
    rotated: dict[str, str] = {}
    for feed in Feed.objects.select_for_update().filter(pk__in=feed_ids).order_by("slug"):
        feed.secret = new_feed_secret()
        feed.save(update_fields=["secret"])
        rotated[feed.slug] = feed.secret
    return rotated


def set_feeds_active(*, feed_ids: list[int], active: bool) -> int:
    """Deactivated feeds stay (their articles point at them) but their pushes are refused."""
    return Feed.objects.filter(pk__in=feed_ids).update(active=active)
