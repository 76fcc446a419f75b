"""Read queries over the log and the projections.

Every state query takes a `TimePoint`. With neither `as_of` (world time) nor `known_at`
(record time) it reads the projection tables; otherwise it folds the log with the same
pure rules the projector uses, so "now" from the log and "now" from the tables agree.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet, TextField
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast
from django.urls import reverse
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
from events.projections.tables import (
    ForceLevel,
    IncidentRow,
    IncidentSource,
    Stance,
    Ultimatum,
)
from registry.models import Actor

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


# --- pages -------------------------------------------------------------------------------


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


def _window(offset: int, limit: int | None) -> slice:
    return slice(offset, None if limit is None else offset + limit)


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
    return Page(page, _count(matching, offset, limit, len(page)), offset)


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


# --- forces, stances, ultimatums ---------------------------------------------------------


def forces_page(
    point: TimePoint,
    *,
    actor: str | None = None,
    country: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> Page:
    """Force rows in key order (actor, country, place, unit), filtered and paged."""
    country = country.upper() if country else None
    if point.from_log:
        rows = forces.force_rows(incident_states(point), country_level_names(), force_window_days())
        wanted = [
            r.to_json()
            for r in rows
            if (actor is None or r.actor == actor) and (country is None or r.country == country)
        ]
        return page_of(wanted, offset, limit)
    matching = ForceLevel.objects.filter(
        **{k: v for k, v in {"actor": actor, "country": country}.items() if v is not None}
    ).order_by("actor", "country", "place", "unit")
    # `data` is the folded row exactly as `ForceRow.to_json()` wrote it.
    page = list(matching.values_list("data", flat=True)[_window(offset, limit)])
    return Page(page, _count(matching, offset, limit, len(page)), offset)


def list_forces(
    point: TimePoint, *, actor: str | None = None, country: str | None = None
) -> list[dict[str, Any]]:
    return forces_page(point, actor=actor, country=country).results


def _count(matching: QuerySet[Any], offset: int, limit: int | None, on_page: int) -> int:
    """The number of matching rows, without a COUNT query when the page shows it already."""
    if (limit is None or on_page < limit) and (on_page or offset == 0):
        return offset + on_page
    return matching.count()


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


def stances_page(
    point: TimePoint,
    *,
    actor: str | None = None,
    target: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> Page:
    """Stances of ordered pairs in (actor, target) order, filtered and paged; scores are
    decayed to the time point's day when read."""
    if point.from_log:
        wanted = [
            stance_json(r, point)
            for r in stances.stance_rows(incident_states(point), stance_half_life_days())
            if (actor is None or r.actor == actor) and (target is None or r.target == target)
        ]
        return page_of(wanted, offset, limit)
    matching = Stance.objects.filter(
        **{k: v for k, v in {"actor": actor, "target": target}.items() if v is not None}
    ).order_by("actor", "target")
    page = [
        stance_json(stances.StanceRow(**data), point)
        for data in matching.values_list("data", flat=True)[_window(offset, limit)]
    ]
    return Page(page, _count(matching, offset, limit, len(page)), offset)


def list_stances(
    point: TimePoint, *, actor: str | None = None, target: str | None = None
) -> list[dict[str, Any]]:
    return stances_page(point, actor=actor, target=target).results


def ultimatum_json(row: ultimatums.UltimatumRow, point: TimePoint) -> dict[str, Any]:
    return {**row.to_json(), "status": row.status(point.instant())}


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
    if point.from_log:
        rows = [ultimatum_json(r, point) for r in ultimatums.ultimatum_rows(incident_states(point))]
        wanted = [
            u
            for u in rows
            if (status is None or u["status"] == status)
            and (actors is None or u["issuer"] in actors or u["addressee"] in actors)
        ]
        return page_of(wanted, offset, limit)
    matching = Ultimatum.objects.annotate(issued_on=_data_text("issued_on")).order_by(
        "issued_on", "incident_id"
    )
    if actors is not None:
        matching = matching.filter(Q(issuer__in=actors) | Q(addressee__in=actors))
    if status in (ultimatums.OPEN, ultimatums.EXPIRED):
        matching = matching.filter(Q(data__resolution=None) | Q(data__resolution__isnull=True))
        ids = _unresolved_ultimatums(matching, status, point.instant())
        on_page = ids[_window(offset, limit)]
        found = dict(
            Ultimatum.objects.filter(incident_id__in=on_page).values_list("incident_id", "data")
        )
        page = [ultimatum_json(ultimatums.UltimatumRow(**found[i]), point) for i in on_page]
        return Page(page, len(ids), offset)
    if status is not None:
        matching = matching.filter(data__resolution=status)
    page = [
        ultimatum_json(ultimatums.UltimatumRow(**data), point)
        for data in matching.values_list("data", flat=True)[_window(offset, limit)]
    ]
    return Page(page, _count(matching, offset, limit, len(page)), offset)


def list_ultimatums(
    point: TimePoint, *, status: str | None = None, actor: str | None = None
) -> list[dict[str, Any]]:
    return ultimatums_page(point, status=status, actors=None if actor is None else {actor}).results


# --- actors ------------------------------------------------------------------------------

# An actor's page summarises; each part links to its full, paged list.
ACTOR_FORCES_SHOWN = 20
ACTOR_STANCES_SHOWN = 10
ACTOR_ULTIMATUMS_SHOWN = 10
TIMELINE_LENGTH = 20
_FORCE_SUMMARY = ("actor", "country", "place", "unit", "low", "high", "since", "stated_on")
_STANCE_SUMMARY = ("actor", "target", "score", "reference_date", "counts", "incident_count")
_TIMELINE_COLUMNS = (
    "incident_id",
    "type",
    "actor",
    "target",
    "country",
    "location",
    "world_date",
    "status",
    "factuality",
)


def list_actors(point: TimePoint = NOW) -> list[dict[str, Any]]:
    """The registry, plus codes that only incidents name (actors not registered yet)."""
    registry = {a.code: a for a in Actor.objects.all()}
    if point.from_log:
        pairs = [(s.actor, s.target) for s in incident_states(point)]
        seen = {code for pair in pairs for code in pair if code}
    else:
        # Two index-only reads, not a pass over every incident row.
        named = {*IncidentRow.objects.values_list("actor", flat=True).distinct()}
        named |= {*IncidentRow.objects.values_list("target", flat=True).distinct()}
        seen = {code for code in named if code}
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


def _timeline_entry(values: dict[str, Any]) -> dict[str, Any]:
    entry = {name: values[name] for name in _TIMELINE_COLUMNS}
    entry["incident_id"] = str(entry["incident_id"])
    entry["world_date"] = entry["world_date"].isoformat()
    return entry


def _timeline_of_state(state: IncidentState) -> dict[str, Any]:
    return _timeline_entry(
        {
            **{name: getattr(state, name) for name in _TIMELINE_COLUMNS},
            "incident_id": state.incident_id,
        }
    )


def _newest_first(entry: dict[str, Any]) -> tuple[str, str]:
    return (entry["world_date"], entry["incident_id"])


def _timeline_from_tables(codes: set[str]) -> list[dict[str, Any]]:
    """The newest incidents naming any of the codes, as actor or as target: two ordered,
    limited reads (each side can use its own index), merged here."""
    newest = ("-world_date", "-incident_id")
    sides = [
        IncidentRow.objects.filter(actor__in=codes),
        IncidentRow.objects.filter(target__in=codes).exclude(actor__in=codes),
    ]
    entries = [
        _timeline_entry(values)
        for side in sides
        for values in side.order_by(*newest).values(*_TIMELINE_COLUMNS)[:TIMELINE_LENGTH]
    ]
    return sorted(entries, key=_newest_first, reverse=True)[:TIMELINE_LENGTH]


def _summary(row: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: row[name] for name in names}


def _top_stances(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The strongest stances (furthest from neutral), then by pair."""
    rows = sorted(rows, key=lambda s: (s["actor"], s["target"]))
    rows.sort(key=lambda s: abs(s["score"]), reverse=True)
    return [_summary(s, _STANCE_SUMMARY) for s in rows[:ACTOR_STANCES_SHOWN]]


def _roll_up(
    code: str, codes: set[str], children: set[str], point: TimePoint
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Forces, stances and the timeline folded from the incidents themselves: for a time
    point (from the log) or when children are rolled into their parent."""
    if point.from_log:
        states = [s for s in incident_states(point) if s.actor in codes or s.target in codes]
    else:
        states = states_of(IncidentRow.objects.filter(Q(actor__in=codes) | Q(target__in=codes)))
    rolled = [relabel(s, dict.fromkeys(children, code)) for s in states]
    force_rows = [
        r.to_json()
        for r in forces.force_rows(rolled, country_level_names(), force_window_days())
        if r.actor == code
    ]
    stance_rows = [
        stance_json(r, point)
        for r in stances.stance_rows(rolled, stance_half_life_days())
        if code in (r.actor, r.target)
    ]
    timeline = sorted(map(_timeline_of_state, rolled), key=_newest_first, reverse=True)
    return force_rows, stance_rows, timeline[:TIMELINE_LENGTH]


def _from_tables(
    code: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Forces, stances and the timeline of one actor, read from the projection tables."""
    # Only the summary's keys leave the database, not every estimate's sources.
    figures = {name: KeyTransform(name, "data") for name in ("low", "high", "since", "stated_on")}
    force_rows = [
        dict(row)
        for row in ForceLevel.objects.filter(actor=code)
        .order_by("actor", "country", "place", "unit")
        .values("actor", "country", "place", "unit", **figures)[:ACTOR_FORCES_SHOWN]
    ]
    stance_rows = [
        stance_json(stances.StanceRow(**data), point=NOW)
        for data in Stance.objects.filter(Q(actor=code) | Q(target=code)).values_list(
            "data", flat=True
        )
    ]
    return force_rows, stance_rows, _timeline_from_tables({code})


def actor_detail(code: str, point: TimePoint, *, include_children: bool) -> dict[str, Any]:
    """The actor with a summary of its forces, strongest stances (both ways), open
    ultimatums and newest incidents, each with a link to the full list."""
    actor = Actor.objects.filter(code=_storable(code, "actor")).first()
    children = descendants(code) if include_children else set()
    codes = {code, *children}
    if children or point.from_log:
        force_rows, stance_rows, timeline = _roll_up(code, codes, children, point)
    else:
        force_rows, stance_rows, timeline = _from_tables(code)
    if actor is None and not timeline:
        involved = Q(actor__in=codes) | Q(target__in=codes)
        if not IncidentRow.objects.filter(involved).exists():
            raise NotFound(f"unknown actor {code!r}")
    open_ultimatums = ultimatums_page(
        point, status=ultimatums.OPEN, actors=codes, limit=ACTOR_ULTIMATUMS_SHOWN
    )
    return {
        **_actor_json(code, actor),
        "children": sorted(children),
        "forces": [_summary(r, _FORCE_SUMMARY) for r in force_rows[:ACTOR_FORCES_SHOWN]],
        "stances": _top_stances([s for s in stance_rows if s["actor"] == code]),
        "stances_towards": _top_stances([s for s in stance_rows if s["target"] == code]),
        "open_ultimatums": [
            {
                **u,
                "issuer": code if u["issuer"] in codes else u["issuer"],
                "addressee": code if u["addressee"] in codes else u["addressee"],
            }
            for u in open_ultimatums.results
        ],
        "timeline": timeline,
        "links": _actor_links(code),
    }


def _actor_links(code: str) -> dict[str, str]:
    """The full lists the summaries come from (paths of this API)."""

    def path(name: str, **query: str) -> str:
        return f"{reverse(name)}?{urlencode(query)}"

    return {
        "forces": path("force-list", actor=code),
        "stances": path("stance-list", actor=code),
        "stances_towards": path("stance-list", target=code),
        "open_ultimatums": path("ultimatum-list", status=ultimatums.OPEN, actor=code),
        "incidents": path("incident-list", involving=code),
    }


# How often an answer can change with no new event: ultimatums expire (checked to the
# minute), stance scores decay (by the day); incidents and forces move only with the log.
STILL = ""
DAILY = "%Y-%m-%d"
EVERY_MINUTE = "%Y-%m-%dT%H:%M"


def state_version(point: TimePoint, ticks: str = EVERY_MINUTE) -> str:
    """Changes whenever a state answer at this time point may: the projections'
    checkpoints (the tables move only with them), the log head for answers folded from the
    log, and the clock at the answer's own granularity (`ticks`)."""
    checkpoints = sorted(Checkpoint.objects.values_list("name", "cursor"))
    head = store.head_cursor() if point.from_log else ""
    clock = timezone.now().strftime(ticks) if ticks else ""
    return f"{head}|{checkpoints}|{clock}"
