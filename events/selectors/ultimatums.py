"""Ultimatums: the ultimatums read model; open and expired decided at read time."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet, TextField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from events.api.representations import ultimatum_json
from events.domain.incident_state import IncidentState
from events.projections.rules import (
    Ultimatum,
    ultimatums,
)
from events.selectors.common import (
    Page,
    TimePoint,
    count_matching,
    from_tables_or_fold,
    window,
)

# A deadline written with a UTC offset lies within a day of the UTC date it starts with, so
# comparing the stored text's date with a date two days away cannot misjudge a row.
_DEADLINE_SLACK = timedelta(days=2)


def _unresolved_ultimatums(
    matching: QuerySet[Ultimatum], status: str, at: datetime
) -> list[uuid.UUID]:
    """Ids of the unresolved ultimatums that are `status` (open or expired) at `at`, in
    order. SQL keeps only the rows whose deadline text could be on that side of `at`; the
    exact comparison is the fold's own (`UltimatumRow.status`), on those few."""
    no_deadline = Q(data__deadline=None) | Q(data__deadline__isnull=True)
    candidates = matching.annotate(deadline_text=_data_text("deadline"))
    if status == ultimatums.OPEN:
        not_yet = (at - _DEADLINE_SLACK).date().isoformat()
        candidates = candidates.filter(no_deadline | Q(deadline_text__gte=not_yet))
    else:
        past = (at + _DEADLINE_SLACK).date().isoformat()
        candidates = candidates.exclude(no_deadline).filter(deadline_text__lt=past)
    return [
        incident_id
        for incident_id, deadline in candidates.values_list("incident_id", "data__deadline")
        if _deadline_status(deadline, at) == status
    ]


def _data_text(key: str) -> Cast:
    """A key of the row's `data` as text, so that SQL compares strings as strings on every
    database (JSON nulls need the `data__key=None` lookup: SQLite spells them 'null')."""
    return Cast(KeyTextTransform(key, "data"), TextField())


def _deadline_status(deadline: str | None, at: datetime) -> str:
    row = ultimatums.UltimatumRow("", "", "", "", "", deadline or None)
    return row.status(at)


def ultimatums_page(
    point: TimePoint,
    *,
    status: str | None = None,
    actors: set[str] | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> Page:
    """Ultimatums by issue date, filtered by status and by party (issuer or addressee).

    Open and expired depend on the clock, so they are decided at read time: complied and
    escalated (stored outcomes) filter in SQL; open and expired narrow in SQL by deadline.
    """

    def fold(states: list[IncidentState]) -> list[dict[str, Any]]:
        rows = [ultimatum_json(r, point) for r in ultimatums.ultimatum_rows(states)]
        return [
            u
            for u in rows
            if (status is None or u["status"] == status)
            and (actors is None or u["issuer"] in actors or u["addressee"] in actors)
        ]

    return from_tables_or_fold(
        point,
        tables=lambda: _from_tables(point, status, actors, offset, limit),
        fold=fold,
        offset=offset,
        limit=limit,
    )


def _from_tables(
    point: TimePoint, status: str | None, actors: set[str] | None, offset: int, limit: int | None
) -> Page:
    matching = Ultimatum.objects.annotate(issued_on=_data_text("issued_on")).order_by(
        "issued_on", "incident_id"
    )
    if actors is not None:
        matching = matching.filter(Q(issuer__in=actors) | Q(addressee__in=actors))
    if status in (ultimatums.OPEN, ultimatums.EXPIRED):
        matching = matching.filter(Q(data__resolution=None) | Q(data__resolution__isnull=True))
        ids = _unresolved_ultimatums(matching, status, point.instant())
        on_page = ids[window(offset, limit)]
        found = dict(
            Ultimatum.objects.filter(incident_id__in=on_page).values_list("incident_id", "data")
        )
        page = [ultimatum_json(ultimatums.UltimatumRow(**found[i]), point) for i in on_page]
        return Page(page, len(ids), offset)
    if status is not None:
        matching = matching.filter(data__resolution=status)
    page = [
        ultimatum_json(ultimatums.UltimatumRow(**data), point)
        for data in matching.values_list("data", flat=True)[window(offset, limit)]
    ]
    return Page(page, count_matching(matching, offset, limit, len(page)), offset)
