"""What the push endpoints remember besides the articles: delivery ids (against replays)
and each feed's push counts and last refusals (for its operator and the newsroom)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .errors import ReplayedDelivery
from .models import DeliveryReceipt, Feed, PushRefusal

KEPT_REFUSALS = 20  # per feed: the last errors, not a log of every attack


def replay_window() -> timedelta:
    """How long a delivery id is remembered. A signature accepted at time r has its t within
    the tolerance of r, and a replay of it is accepted only within the tolerance of t: so
    nothing older than twice the tolerance can come back."""
    return timedelta(seconds=2 * settings.TRACKER_SIGNATURE_TOLERANCE_SECONDS)


def claim_delivery(*, feed: Feed, delivery_id: str) -> None:
    """Remember this delivery id, in the caller's transaction; ReplayedDelivery if it was
    seen inside the window. Receipts older than the window are pruned on the way."""
    now = timezone.now()
    DeliveryReceipt.objects.filter(received_at__lt=now - replay_window()).delete()
    seen = DeliveryReceipt.objects.filter(feed=feed, delivery_id=delivery_id).first()
    if seen is None:
        try:
            with transaction.atomic():  # a concurrent twin waits on the index, then fails
                DeliveryReceipt.objects.create(feed=feed, delivery_id=delivery_id)
            return
        except IntegrityError:
            seen = DeliveryReceipt.objects.filter(feed=feed, delivery_id=delivery_id).first()
    when = f" at {seen.received_at:%Y-%m-%dT%H:%M:%SZ}" if seen else ""
    raise ReplayedDelivery(f"delivery {delivery_id!r} was already received{when}: a replay")


def record_push(*, feed: Feed, accepted: bool) -> None:
    """Count a push that was answered 202 (accepted) or 200 (all duplicates)."""
    counter = "pushes_accepted" if accepted else "pushes_duplicate"
    Feed.objects.filter(pk=feed.pk).update(last_push_at=timezone.now(), **{counter: F(counter) + 1})


@transaction.atomic
def record_refusal(*, feed: Feed, status: int, error: str) -> None:
    """Count a refused push and keep its error (the last KEPT_REFUSALS of them)."""
    Feed.objects.filter(pk=feed.pk).update(
        last_push_at=timezone.now(), pushes_refused=F("pushes_refused") + 1
    )
    PushRefusal.objects.create(feed=feed, status=status, error=error[:1000])
    stale = PushRefusal.objects.filter(feed=feed).values_list("pk", flat=True)[KEPT_REFUSALS:]
    PushRefusal.objects.filter(pk__in=list(stale)).delete()
