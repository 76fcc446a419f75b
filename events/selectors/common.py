"""What every read model's selector shares: the time point, pages, and the one switch
between the projection tables ("now") and the fold of the log (as_of / known_at)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from events import store
from events.domain.fold import fold_incidents
from events.domain.incident_state import (
    IncidentState,
    happened_by,
)
from events.projections.rules import (
    IncidentRow,
    ultimatums,
)
from events.projections.rules.incidents import states_of

LOG_PAGE = 1000


class NotFound(LookupError):
    """The thing asked for does not exist (at that time point)."""


@dataclass(frozen=True)
class TimePoint:
    as_of: date | None = None
    known_at: datetime | None = None

    @property
    def from_log(self) -> bool:
        return self.as_of is not None or self.known_at is not None

    def instant(self) -> datetime:
        """The instant ultimatum deadlines are compared with."""
        return ultimatums.status_at(self.as_of, timezone.now())

    def day(self) -> date:
        """The date stance scores are decayed to."""
        return self.as_of or timezone.now().date()


NOW = TimePoint()


@dataclass(frozen=True)
class Page:
    """One page of a state list: its rows, how many match in all, and where it started."""

    results: list[dict[str, Any]]
    count: int
    offset: int

    @property
    def next_offset(self) -> int | None:
        end = self.offset + len(self.results)
        return end if self.results and end < self.count else None


def page_of(rows: list[dict[str, Any]], offset: int, limit: int | None) -> Page:
    """A page cut from a list computed in full (the as_of / known_at answers)."""
    end = None if limit is None else offset + limit
    return Page(rows[offset:end], len(rows), offset)


def window(offset: int, limit: int | None) -> slice:
    return slice(offset, None if limit is None else offset + limit)


def count_matching(matching: QuerySet[Any], offset: int, limit: int | None, on_page: int) -> int:
    """The number of matching rows, without a COUNT query when the page shows it already."""
    if (limit is None or on_page < limit) and (on_page or offset == 0):
        return offset + on_page
    return matching.count()


def iter_log() -> Iterator[store.RecordedEvent]:
    after: str | None = None
    while page := store.read_all(after=after, limit=LOG_PAGE):
        yield from page
        after = page[-1].cursor


def incident_states(point: TimePoint) -> list[IncidentState]:
    """Every incident's state at the time point (tables when it is "now")."""
    if not point.from_log:
        return states_of(IncidentRow.objects.all())
    folded = fold_incidents(iter_log(), known_at=point.known_at)
    return happened_by(folded.values(), point.as_of)


def from_tables_or_fold(
    point: TimePoint,
    *,
    tables: Callable[[], Page],
    fold: Callable[[list[IncidentState]], list[dict[str, Any]]],
    offset: int,
    limit: int | None,
) -> Page:
    """The one switch every state list goes through: "now" is read from the projection
    tables (`tables`, paged in SQL); a time point (as_of / known_at) folds the log with
    the same pure rules (`fold`, handed the incidents at that point) and pages the list."""
    if point.from_log:
        return page_of(fold(incident_states(point)), offset, limit)
    return tables()
