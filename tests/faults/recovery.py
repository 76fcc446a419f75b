"""What every process drill checks after recovery, on whatever database Django is using:
every accepted article classified, its incidents in the log exactly once, and every
projection (caught up by the system itself) equal to the fold of the log.

Run as `python -m tests.faults.recovery ID,ID,...` it checks the database of
DATABASE_URL and exits non-zero with the problem (the PostgreSQL restart drill runs the
stack on a cluster of its own, which the test process is not connected to).
"""

from __future__ import annotations

import sys
import time
from collections import Counter


def wait_classified(article_ids: list[int], timeout: float) -> None:
    from ingest.models import Article, ArticleStatus

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        statuses = Counter(
            Article.objects.filter(pk__in=article_ids).values_list("status", flat=True)
        )
        if statuses.get(ArticleStatus.CLASSIFIED, 0) == len(set(article_ids)):
            return
        time.sleep(0.5)
    rows = list(
        Article.objects.filter(pk__in=article_ids)
        .exclude(status=ArticleStatus.CLASSIFIED)
        .values_list("pk", "status", "attempts", "last_error")
    )
    raise AssertionError(f"not classified after {timeout}s: {rows[:10]}")


def count_classified(article_ids: list[int]) -> int:
    from ingest.models import Article, ArticleStatus

    return Article.objects.filter(pk__in=article_ids, status=ArticleStatus.CLASSIFIED).count()


def assert_incidents_exactly_once(article_ids: list[int]) -> int:
    """Each article's events: one per incident it supports, no event id twice, no
    incident reported or corroborated twice by the same article. Returns the events."""
    from events.selectors import iter_log
    from ingest.models import IncidentSupport

    wanted = set(article_ids)
    by_article: dict[int, list] = {a: [] for a in wanted}
    for event in iter_log():
        source = event.metadata.get("source_article")
        if source in wanted:
            by_article[source].append(event)
    total = 0
    for article_id, events in by_article.items():
        supports = IncidentSupport.objects.filter(article_id=article_id, active=True).count()
        assert supports >= 1, f"article {article_id} supports no incident"
        assert len(events) == supports, (
            f"article {article_id}: {len(events)} events, {supports} supports"
        )
        assert len({e.event_id for e in events}) == len(events)
        repeated = [s for s, n in Counter(e.stream_id for e in events).items() if n > 1]
        assert not repeated, f"article {article_id} reported {repeated} more than once"
        total += len(events)
    return total


def wait_projections_caught_up(timeout: float) -> None:
    """The system's own projector (wake-ups and the periodic catch-up) catches up."""
    from events.projections.engine.projectors import PROJECTORS
    from events.projections.engine.status import lag_of

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(lag_of(name).behind == 0 for name in PROJECTORS):
            return
        time.sleep(0.5)
    raise AssertionError({name: lag_of(name).behind for name in PROJECTORS})


def assert_recovered(article_ids: list[int], timeout: float = 150) -> int:
    from events.models import Checkpoint
    from events.selectors import iter_log
    from tests.projections.test_projection_equals_fold import assert_tables_equal_the_fold

    wait_classified(article_ids, timeout)
    events = assert_incidents_exactly_once(article_ids)
    wait_projections_caught_up(timeout)
    logged = sum(1 for _ in iter_log())
    for checkpoint in Checkpoint.objects.all():
        assert checkpoint.events_seen == logged, (
            f"{checkpoint.name} applied {checkpoint.events_seen} of {logged} events"
        )
    assert_tables_equal_the_fold()
    return events


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings_test")
    django.setup()
    ids = [int(x) for x in sys.argv[1].split(",") if x]
    events = assert_recovered(ids)
    print(f"events {events} classified {count_classified(ids)}")
