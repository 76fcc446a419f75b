"""Celery tasks: thin wrappers that take an id and call a service, imported in the task's
body (the services queue these tasks by name, so neither module imports the other).

`classify_article` is acknowledged late and rejected when its worker dies, so a crash
hands the message back instead of losing it; its retries back off to at most 10 minutes,
well below Redis' visibility timeout (1 hour), so a waiting retry is never redelivered
as a duplicate. After the last retry the article is marked failed with its error.
"""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task

from events.domain import DomainError
from ingest.errors import ArticleNotFound

MAX_RETRIES = 5
BACKOFF_MAX_SECONDS = 600  # = services.RETRY_BACKOFF_MAX_SECONDS


class ClassifyArticleTask(Task):
    def on_retry(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        from ingest import services

        services.record_classification_error(
            article_id=_article_id(args, kwargs), error=_describe(exc), final=False
        )

    def on_failure(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        from ingest import services

        if isinstance(exc, ArticleNotFound):
            return
        services.record_classification_error(
            article_id=_article_id(args, kwargs), error=_describe(exc), final=True
        )


def _article_id(args: Any, kwargs: Any) -> int:
    return int(kwargs["article_id"] if "article_id" in kwargs else args[0])


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


@shared_task(
    bind=True,
    base=ClassifyArticleTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    # Bad data stays bad: fail at once and keep the message for the admin.
    dont_autoretry_for=(DomainError, ArticleNotFound),
    retry_backoff=10,
    retry_backoff_max=BACKOFF_MAX_SECONDS,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def classify_article(self: Task, article_id: int) -> str:
    from ingest import services

    return services.classify_article(article_id=article_id)


@shared_task(acks_late=True, ignore_result=True)
def sweep_stuck_articles(older_than_seconds: float | None = None) -> int:
    from datetime import timedelta

    from ingest import services

    older_than = None if older_than_seconds is None else timedelta(seconds=older_than_seconds)
    return services.sweep_stuck_articles(older_than=older_than)
