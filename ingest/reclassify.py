"""Classify articles again on an editor's request (after a registry fix, say).

`ingest.services.classify_article` skips an article already marked classified (that is
what keeps a redelivered task harmless), so the request first puts it back to `received`
and then queues it after commit, exactly like a new arrival. Incidents it already led to
are matched again, not duplicated; what the new reading adds is reported.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from . import services
from .models import Article, ArticleStatus


def classify_again(*, article_ids: Sequence[int]) -> int:
    """Queue the articles for classification; return how many exist."""
    ids = list(article_ids)
    with transaction.atomic():
        count = Article.objects.filter(pk__in=ids).update(
            status=ArticleStatus.RECEIVED, last_error="", updated_at=timezone.now()
        )
        transaction.on_commit(lambda: services.enqueue_classification(article_ids=ids))
    return count
