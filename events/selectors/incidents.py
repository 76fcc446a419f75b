"""Incidents: a filtered page, one incident with its history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from events import store
from events.api.representations import event_json, incident_json
from events.domain import STREAM_PREFIX
from events.domain.fold import fold_incidents
from events.domain.incident_state import (
    IncidentState,
    happened_by,
    order_key,
)
from events.projections.rules import (
    IncidentRow,
    IncidentSource,
)
from events.selectors.common import (
    NotFound,
    Page,
    TimePoint,
    count_matching,
    incident_states,
)


@dataclass(frozen=True)
class IncidentFilter:
    type: str | None = None
    actor: str | None = None
    target: str | None = None
    country: str | None = None
    since: date | None = None
    until: date | None = None
    status: str | None = None
    needs_review: bool | None = None
    source: str | None = None
    involving: str | None = None  # as actor or as target

    def matches(self, state: IncidentState) -> bool:
        checks = [
            self.type is None or state.type == self.type,
            self.actor is None or state.actor == self.actor,
            self.target is None or state.target == self.target,
            self.country is None or state.country == self.country.upper(),
            self.since is None or state.world_date >= self.since,
            self.until is None or state.world_date <= self.until,
            self.status is None or state.status == self.status,
            self.needs_review is None or state.needs_review == self.needs_review,
            self.source is None or any(self._is_source(s) for s in state.active_sources),
            self.involving is None or self.involving in (state.actor, state.target),
        ]
        return all(checks)

    def _is_source(self, source: dict[str, Any]) -> bool:
        wanted = str(self.source)
        return wanted in (str(source.get("article_id")), source.get("outlet"), source.get("url"))

    def queryset(self) -> QuerySet[IncidentRow]:
        rows = IncidentRow.objects.all()
        exact = {
            "type": self.type,
            "actor": self.actor,
            "target": self.target,
            "country": self.country.upper() if self.country else None,
            "status": self.status,
            "needs_review": self.needs_review,
            "world_date__gte": self.since,
            "world_date__lte": self.until,
        }
        rows = rows.filter(**{k: v for k, v in exact.items() if v is not None})
        if self.involving is not None:
            rows = rows.filter(Q(actor=self.involving) | Q(target=self.involving))
        if self.source is not None:
            by_source = Q(outlet=self.source) | Q(url=self.source)
            if self.source.isdigit() and int(self.source) < 2**63:  # a bigint article id
                by_source |= Q(article_id=int(self.source))
            # A semi-join, not a join and DISTINCT: no duplicates to remove, and the state
            # (PostgreSQL `json`) has no equality to remove them by.
            sources = IncidentSource.objects.filter(by_source).values("incident_id")
            rows = rows.filter(incident_id__in=sources)
        return rows


def list_incidents(point: TimePoint, wanted: IncidentFilter, *, limit: int, offset: int) -> Page:
    # Both paths page in the same order: by world date, then incident id.
    if point.from_log:
        states = sorted((s for s in incident_states(point) if wanted.matches(s)), key=order_key)
        page = [incident_json(s) for s in states[offset : offset + limit]]
        return Page(page, len(states), offset)
    matching = wanted.queryset().order_by("world_date", "incident_id")
    page = [
        incident_json(IncidentState.from_json(state))
        for state in matching.values_list("state", flat=True)[offset : offset + limit]
    ]
    return Page(page, count_matching(matching, offset, limit, len(page)), offset)


def _one_incident(incident_id: str, point: TimePoint) -> IncidentState:
    try:
        wanted = uuid.UUID(incident_id)
    except ValueError:
        raise NotFound(f"no incident {incident_id!r}: not a UUID") from None
    if point.from_log:
        stream_id = f"{STREAM_PREFIX}{wanted}"
        folded = fold_incidents(store.read_stream(stream_id), known_at=point.known_at)
        found = happened_by(folded.values(), point.as_of)
        if found:
            return found[0]
    else:
        row = IncidentRow.objects.filter(incident_id=wanted).first()
        if row is not None:
            return IncidentState.from_json(row.state)
    raise NotFound(f"no incident {incident_id} at this time point")


def incident_detail(incident_id: str, point: TimePoint) -> dict[str, Any]:
    """One incident with its sources and every event of its stream (up to known_at)."""
    state = _one_incident(incident_id, point)
    events = [
        e
        for e in store.read_stream(state.stream_id)
        if point.known_at is None or e.recorded_at <= point.known_at
    ]
    # Who made each correction: the user in its event's metadata (the fold sees no metadata).
    who = [
        e.metadata.get("user") or e.metadata.get("classifier_version")
        for e in events
        if e.type == "IncidentCorrected"
    ]
    corrections = [{**c, "by": by} for c, by in zip(state.corrections, who, strict=False)]
    return {
        **incident_json(state),
        "corrections": corrections,
        "history": [event_json(e) for e in events],
    }
