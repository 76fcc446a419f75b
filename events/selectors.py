"""Read queries over the log and the projections.

Every state query takes a `TimePoint`. With neither `as_of` (world time) nor `known_at`
(record time) it reads the projection tables; otherwise it folds the log with the same
pure rules the projector uses, so "now" from the log and "now" from the tables agree.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from events import store
from events.domain import STREAM_PREFIX
from events.models import Checkpoint
from events.projections import forces, stances, ultimatums
from events.projections.config import force_window_days, stance_half_life_days
from events.projections.incident_state import (
    IncidentState,
    fold_incidents,
    happened_by,
    order_key,
    relabel,
    source_summary,
)
from events.projections.incidents import states_of
from events.projections.places import country_level_names
from events.projections.tables import ForceLevel, IncidentRow, Stance, Ultimatum
from ingest.models import Actor

LOG_PAGE = 1000
TIMELINE_LENGTH = 100


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


# --- the log ---------------------------------------------------------------------------


def event_json(event: store.RecordedEvent) -> dict[str, Any]:
    return {
        "position": event.position,
        "cursor": event.cursor,
        "stream_id": event.stream_id,
        "version": event.version,
        "event_id": str(event.event_id),
        "type": event.type,
        "schema_version": event.schema_version,
        "data": event.data,
        "metadata": event.metadata,
        "recorded_at": event.recorded_at.isoformat(),
        "occurred_on": event.occurred_on.isoformat() if event.occurred_on else None,
    }


def log_page(
    *, after: str | None, limit: int, types: list[str] | None, stream_id: str | None
) -> dict[str, Any]:
    """One page of the log in read order; `next` is the cursor to ask for the next page.

    Raises store.InvalidCursor for a cursor the store did not hand out.
    """
    events = store.read_all(after=after, limit=limit, types=types, stream_id=stream_id)
    next_cursor = events[-1].cursor if events else (after or "")
    return {"results": [event_json(e) for e in events], "next": next_cursor}


def _storable(text: str, what: str) -> str:
    """Text that can be looked up at all (PostgreSQL text cannot hold NUL bytes)."""
    if "\x00" in text or len(text) > store.MAX_STREAM_ID:
        raise NotFound(f"no {what} {text!r}")
    return text


def stream_events(stream_id: str) -> dict[str, Any]:
    events = store.read_stream(_storable(stream_id, "stream"))
    if not events:
        raise NotFound(f"no stream {stream_id!r}")
    return {
        "stream_id": stream_id,
        "version": events[-1].version,
        "events": [event_json(e) for e in events],
    }


def iter_log() -> Iterator[store.RecordedEvent]:
    after: str | None = None
    while page := store.read_all(after=after, limit=LOG_PAGE):
        yield from page
        after = page[-1].cursor


# --- incidents -----------------------------------------------------------------------


def incident_states(point: TimePoint) -> list[IncidentState]:
    """Every incident's state at the time point (tables when it is "now")."""
    if not point.from_log:
        return states_of(IncidentRow.objects.all())
    folded = fold_incidents(iter_log(), known_at=point.known_at)
    return happened_by(folded.values(), point.as_of)


def incident_json(state: IncidentState) -> dict[str, Any]:
    return {
        "incident_id": state.incident_id,
        "stream_id": state.stream_id,
        "version": state.version,
        **state.fields,
        "factuality": state.factuality,
        "world_date": state.world_date.isoformat(),
        "status": state.status,
        "merged_into": state.merged_into,
        "verified": state.verified,
        "needs_review": state.needs_review,
        "confidence": state.confidence,
        "method": state.method,
        "retraction_reason": state.retraction_reason,
        "sources": [
            {
                **source_summary(state, s),
                "confidence": s.get("confidence"),
                "reported": s["reported"],
            }
            for s in state.active_sources
        ],
        "corrections": state.corrections,
        "first_recorded_at": state.first_recorded_at,
        "last_recorded_at": state.last_recorded_at,
    }


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
        if self.source is not None:
            by_source = Q(source_rows__outlet=self.source) | Q(source_rows__url=self.source)
            if self.source.isdigit() and int(self.source) < 2**63:  # a bigint article id
                by_source |= Q(source_rows__article_id=int(self.source))
            rows = rows.filter(by_source).distinct()
        return rows


def list_incidents(
    point: TimePoint, wanted: IncidentFilter, *, limit: int, offset: int
) -> dict[str, Any]:
    # Both paths page in the same order: by world date, then incident id.
    if point.from_log:
        states = sorted((s for s in incident_states(point) if wanted.matches(s)), key=order_key)
        count, page = len(states), states[offset : offset + limit]
    else:
        rows = wanted.queryset().order_by("world_date", "incident_id")
        count, page = rows.count(), states_of(rows[offset : offset + limit])
    return {"count": count, "results": [incident_json(s) for s in page]}


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
    history = [
        event_json(e)
        for e in store.read_stream(state.stream_id)
        if point.known_at is None or e.recorded_at <= point.known_at
    ]
    return {**incident_json(state), "history": history}


# --- forces, stances, ultimatums ---------------------------------------------------------


def _force_rows(point: TimePoint) -> list[forces.ForceRow]:
    if not point.from_log:
        return [forces.ForceRow(**row.data) for row in ForceLevel.objects.all()]
    return forces.force_rows(incident_states(point), country_level_names(), force_window_days())


def list_forces(
    point: TimePoint, *, actor: str | None = None, country: str | None = None
) -> list[dict[str, Any]]:
    rows = _force_rows(point)
    return [
        r.to_json()
        for r in rows
        if (actor is None or r.actor == actor) and (country is None or r.country == country.upper())
    ]


def stance_json(row: stances.StanceRow, point: TimePoint) -> dict[str, Any]:
    return {
        "actor": row.actor,
        "target": row.target,
        "score": row.score(point.day(), stance_half_life_days()),
        "reference_date": row.reference_date,
        "counts": row.counts,
        "incident_count": row.incident_count,
        "latest": row.latest,
    }


def _stance_rows(point: TimePoint) -> list[stances.StanceRow]:
    if not point.from_log:
        return [stances.StanceRow(**row.data) for row in Stance.objects.all()]
    return stances.stance_rows(incident_states(point), stance_half_life_days())


def list_stances(
    point: TimePoint, *, actor: str | None = None, target: str | None = None
) -> list[dict[str, Any]]:
    return [
        stance_json(r, point)
        for r in _stance_rows(point)
        if (actor is None or r.actor == actor) and (target is None or r.target == target)
    ]


def ultimatum_json(row: ultimatums.UltimatumRow, point: TimePoint) -> dict[str, Any]:
    return {**row.to_json(), "status": row.status(point.instant())}


def _ultimatum_rows(point: TimePoint) -> list[ultimatums.UltimatumRow]:
    if not point.from_log:
        rows = [ultimatums.UltimatumRow(**row.data) for row in Ultimatum.objects.all()]
        return sorted(rows, key=lambda r: (r.issued_on, r.incident_id))
    return ultimatums.ultimatum_rows(incident_states(point))


def list_ultimatums(
    point: TimePoint, *, status: str | None = None, actor: str | None = None
) -> list[dict[str, Any]]:
    out = [ultimatum_json(r, point) for r in _ultimatum_rows(point)]
    return [
        u
        for u in out
        if (status is None or u["status"] == status)
        and (actor is None or actor in (u["issuer"], u["addressee"]))
    ]


# --- actors ------------------------------------------------------------------------------


def list_actors(point: TimePoint = NOW) -> list[dict[str, Any]]:
    """The registry, plus codes that only incidents name (actors not registered yet)."""
    registry = {a.code: a for a in Actor.objects.all()}
    if point.from_log:
        pairs = [(s.actor, s.target) for s in incident_states(point)]
    else:
        pairs = list(IncidentRow.objects.values_list("actor", "target"))
    seen = {code for pair in pairs for code in pair if code}
    return [_actor_json(code, registry.get(code)) for code in sorted(set(registry) | seen)]


def _actor_json(code: str, actor: Actor | None) -> dict[str, Any]:
    return {
        "code": code,
        "name": actor.name if actor else code,
        "kind": actor.kind if actor else None,
        "parent": actor.parent_id if actor else None,
        "registered": actor is not None,
    }


def descendants(code: str) -> set[str]:
    """The actor's children, their children... (KH and HN under PMF)."""
    parents = dict(Actor.objects.exclude(parent=None).values_list("code", "parent_id"))
    found: set[str] = set()
    frontier = {code}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found - {code}


def actor_detail(code: str, point: TimePoint, *, include_children: bool) -> dict[str, Any]:
    """The actor with its forces, stances (both ways), open ultimatums and timeline."""
    actor = Actor.objects.filter(code=_storable(code, "actor")).first()
    children = descendants(code) if include_children else set()
    codes = {code, *children}
    involved = Q(actor__in=codes) | Q(target__in=codes)
    if point.from_log:
        states = [s for s in incident_states(point) if s.actor in codes or s.target in codes]
    else:
        states = states_of(IncidentRow.objects.filter(involved))
    if actor is None and not states and not IncidentRow.objects.filter(involved).exists():
        raise NotFound(f"unknown actor {code!r}")
    rolled = [relabel(s, dict.fromkeys(children, code)) for s in states]
    if children or point.from_log:
        force_rows = forces.force_rows(rolled, country_level_names(), force_window_days())
        stance_rows = stances.stance_rows(rolled, stance_half_life_days())
    else:
        force_rows = [forces.ForceRow(**r.data) for r in ForceLevel.objects.filter(actor=code)]
        stance_rows = [stances.StanceRow(**r.data) for r in Stance.objects.filter(involved)]
    open_ultimatums = [
        {
            **u,
            "issuer": code if u["issuer"] in codes else u["issuer"],
            "addressee": code if u["addressee"] in codes else u["addressee"],
        }
        for u in list_ultimatums(point, status=ultimatums.OPEN)
        if u["issuer"] in codes or u["addressee"] in codes
    ]
    timeline = sorted(rolled, key=lambda s: s.sort_key, reverse=True)[:TIMELINE_LENGTH]
    return {
        **_actor_json(code, actor),
        "children": sorted(children),
        "forces": [r.to_json() for r in force_rows if r.actor == code],
        "stances": [stance_json(r, point) for r in stance_rows if r.actor == code],
        "stances_towards": [stance_json(r, point) for r in stance_rows if r.target == code],
        "open_ultimatums": open_ultimatums,
        "timeline": [incident_json(s) for s in timeline],
    }


def state_version() -> str:
    """Changes whenever a state answer may: the log head, every checkpoint and the minute
    (ultimatums expire and stances decay as time passes)."""
    checkpoints = sorted(Checkpoint.objects.values_list("name", "cursor"))
    minute = timezone.now().strftime("%Y-%m-%dT%H:%M")
    return f"{store.head_cursor()}|{checkpoints}|{minute}"
