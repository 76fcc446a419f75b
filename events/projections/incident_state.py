"""Folding an incident stream into the incident's current state (pure functions).

The state is plain JSON-able data, so the incidents table stores it as is and the
as_of / known_at queries rebuild exactly the same thing from the log.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from pydantic import ValidationError

from events import domain
from events.store import RecordedEvent

if TYPE_CHECKING:
    from events.projections.log_scan import LoggedEvent

ACTIVE, RETRACTED, MERGED = "active", "retracted", "merged"
# Fields of IncidentReported that describe the report, not the happening.
_REPORT_ONLY = ("incident_id", "method", "source", "needs_review")


@dataclass
class IncidentState:
    """One incident as folded so far. Folds copy it (`_next_state`) before changing a field,
    so the cached dates of a state never go stale."""

    incident_id: str
    stream_id: str
    version: int
    fields: dict[str, Any]
    method: str
    needs_review: bool
    first_recorded_at: str
    last_recorded_at: str
    status: str = ACTIVE
    merged_into: str | None = None
    verified: bool = False
    retraction_reason: str | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)
    corrections: list[dict[str, Any]] = field(default_factory=list)

    # --- JSON round trip (the incidents table stores this) -----------------------------
    def to_json(self) -> dict[str, Any]:
        # Shallow on purpose: the values are JSON data that folds replace, never mutate.
        return {name: getattr(self, name) for name in _STATE_FIELDS}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> IncidentState:
        return cls(**data)

    # --- convenient views of the fields ----------------------------------------------
    @property
    def type(self) -> str:
        return str(self.fields["type"])

    @property
    def actor(self) -> str | None:
        return self.fields.get("actor")

    @property
    def target(self) -> str | None:
        return self.fields.get("target")

    @property
    def country(self) -> str | None:
        return self.fields.get("country")

    @property
    def location(self) -> str | None:
        return self.fields.get("location")

    @property
    def factuality(self) -> str:
        return str(self.fields.get("status") or domain.Factuality.ASSERTED)

    @property
    def happened(self) -> bool:
        """Active and not denied or planned: the only incidents that move state."""
        return self.status == ACTIVE and self.factuality not in domain.NOT_HAPPENED

    @property
    def occurred_on(self) -> date | None:
        value = self.fields.get("occurred_on")
        return date.fromisoformat(value) if value else None

    @property
    def deadline(self) -> datetime | None:
        value = self.fields.get("deadline")
        return parse_instant(value) if value else None

    @property
    def active_sources(self) -> list[dict[str, Any]]:
        return [s for s in self.sources if not s.get("withdrawn")]

    @cached_property
    def world_date(self) -> date:
        """When it happened: its date, else its first report's publication, else its record."""
        if self.occurred_on:
            return self.occurred_on
        published = sorted(s["published_at"] for s in self.sources if s.get("published_at"))
        if published:
            return datetime.fromisoformat(published[0]).date()
        return datetime.fromisoformat(self.first_recorded_at).date()

    @property
    def confidence(self) -> float:
        """Independent sources reinforce each other: 1 - product of (1 - confidence)."""
        doubts = [1.0 - float(s.get("confidence", 1.0)) for s in self.active_sources]
        return round(1.0 - math.prod(doubts), 4) if doubts else 0.0

    @cached_property
    def sort_key(self) -> tuple[date, str, str]:
        return (self.world_date, self.first_recorded_at, self.incident_id)


class Happening(Protocol):
    """What stances and ultimatum outcomes need to know of an incident."""

    @property
    def incident_id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def actor(self) -> str | None: ...
    @property
    def target(self) -> str | None: ...
    @property
    def world_date(self) -> date: ...
    @property
    def happened(self) -> bool: ...


class IncidentSummary(NamedTuple):
    """A `Happening` read from the incidents table's columns, without the whole state.
    (A tuple: a rebuild makes one per attack and withdrawal and hands them between
    processes, where a frozen dataclass costs several times as much to make and pickle.)"""

    incident_id: str
    type: str
    actor: str | None
    target: str | None
    world_date: date
    status: str
    factuality: str

    @property
    def happened(self) -> bool:
        return self.status == ACTIVE and self.factuality not in domain.NOT_HAPPENED


def summary_of(state: IncidentState) -> IncidentSummary:
    """The incident as a summary: what outcomes and stances read, without its sources."""
    return IncidentSummary(
        state.incident_id,
        state.type,
        state.actor,
        state.target,
        state.world_date,
        state.status,
        state.factuality,
    )


def order_key(incident: Happening) -> tuple[date, str]:
    """The order in which incidents happened (ties broken by id, deterministically)."""
    return (incident.world_date, incident.incident_id)


_STATE_FIELDS = tuple(f.name for f in fields(IncidentState))


def parse_instant(value: str) -> datetime:
    """An ISO datetime, read as UTC when it carries no offset."""
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# What a state keeps of a source's report: what readers show and the folds use. The
# rest (feed, external id, content hash, classifier version) stays in the event, which
# the incident's history carries; a rebuild writes every state, so each key kept here is
# stored half a million times over.
_SOURCE_DROPPED = frozenset({"feed", "external_id", "content_hash", "classifier_version"})


def _source(payload: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return _without(
        payload["source"],
        _SOURCE_DROPPED,
        {"reported": {}, "merged_from": None, "withdrawn": False, **extra},
    )


def _without(
    data: dict[str, Any], dropped: Iterable[str], added: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A copy of `data` without the `dropped` keys, with the `added` ones (a copy and a few
    deletions: a third of a filtering comprehension's time, once per event folded)."""
    kept = data.copy()
    for key in dropped:
        if key in kept:
            del kept[key]
    if added:
        kept.update(added)
    return kept


_CACHED = ("world_date", "sort_key")  # cached_property values derived from other fields


def _next_state(state: IncidentState, version: int, recorded: str) -> IncidentState:
    """A copy of `state` at a later version, without the cached dates (they may change).

    What `dataclasses.replace` does, at a fraction of its cost (it runs __init__ with
    every field as a keyword: most of a corroboration's fold).
    """
    values = state.__dict__.copy()
    for name in _CACHED:
        values.pop(name, None)
    values["version"], values["last_recorded_at"] = version, recorded
    copied = object.__new__(IncidentState)
    copied.__dict__.update(values)
    return copied


def _reported(
    state: IncidentState | None, stream_id: str, version: int, data: dict[str, Any], recorded: str
) -> IncidentState:
    if state is not None:  # a second report on one stream: the first one stands
        return state
    return IncidentState(
        incident_id=str(data["incident_id"]),
        stream_id=stream_id,
        version=version,
        fields=_without(data, _REPORT_ONLY),
        method=str(data.get("method", domain.Method.CLASSIFIER)),
        needs_review=bool(data.get("needs_review", False)),
        first_recorded_at=recorded,
        last_recorded_at=recorded,
        sources=[_source(data)],
    )


def _corrected_fields(fields: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any] | None:
    try:
        merged = domain.IncidentFields.model_validate({**fields, **changes})
    except ValidationError:
        return None
    return merged.model_dump(mode="json")


def apply_event(state: IncidentState | None, event: RecordedEvent) -> IncidentState | None:
    """The state after `event`; events that need an incident are ignored before its report."""
    return fold_step(
        state, event.stream_id, event.version, event.type, event.data, event.recorded_at.isoformat()
    )


def fold_step(
    state: IncidentState | None,
    stream_id: str,
    version: int,
    event_type: str,
    data: dict[str, Any],
    recorded: str,
) -> IncidentState | None:
    """`apply_event` on an event's parts (`recorded`: its recorded_at in ISO format).

    Rebuilds call it directly on rows read in bulk, without building RecordedEvents.
    """
    if event_type == "IncidentReported":
        return _reported(state, stream_id, version, data, recorded)
    if state is None or event_type not in domain.EVENT_TYPES:
        return state
    state = _next_state(state, version, recorded)
    if event_type == "IncidentCorroborated":
        source = _source(
            data, reported=dict(data.get("reported") or {}), merged_from=data.get("merged_from")
        )
        state.sources = [*state.sources, source]
    elif event_type == "IncidentCorrected":
        fields = _corrected_fields(state.fields, data["changes"])
        # A correction the current fields cannot take is kept in the history, not applied.
        state.corrections = [
            *state.corrections,
            {
                "changes": data["changes"],
                "reason": data["reason"],
                "recorded_at": recorded,
                "applied": fields is not None,
            },
        ]
        if fields is not None:
            state.fields = fields
            state.needs_review = False
    elif event_type == "IncidentVerified":
        state.verified, state.needs_review = True, False
    elif event_type == "IncidentRetracted":
        _retract(state, data)
    elif event_type == "IncidentMerged":
        state.status, state.merged_into = MERGED, str(data["into"])
    return state


def _retract(state: IncidentState, data: dict[str, Any]) -> None:
    article_id = data.get("article_id")
    if article_id is None:  # an editor's retraction: the incident as a whole
        state.status, state.retraction_reason = RETRACTED, data["reason"]
        return
    # One article stopped supporting it: the incident stands while another source does.
    state.sources = [
        {**s, "withdrawn": True} if s.get("article_id") == article_id else s for s in state.sources
    ]
    if not state.active_sources and state.status == ACTIVE:
        state.status, state.retraction_reason = RETRACTED, data["reason"]


def fold_incidents(
    events: Iterable[RecordedEvent],
    states: dict[str, IncidentState] | None = None,
    *,
    known_at: datetime | None = None,
) -> dict[str, IncidentState]:
    """Fold events (in log order) into incident states keyed by stream id.

    known_at: ignore what the log did not hold yet at that instant (record time).
    """
    states = dict(states or {})
    for event in events:
        if not event.stream_id.startswith(domain.STREAM_PREFIX):
            continue
        if known_at is not None and event.recorded_at > known_at:
            continue
        new = apply_event(states.get(event.stream_id), event)
        if new is not None:
            states[event.stream_id] = new
    return states


def fold_logged(
    events: Iterable[LoggedEvent],
    settled: Callable[[IncidentState], object] | None = None,
) -> dict[str, IncidentState]:
    """`fold_incidents` over events read in bulk (events.projections.log_scan), as a
    rebuild reads them.

    settled: handed each incident as soon as its stream's last event in the scan is
    folded, and the incident is not kept (a rebuild's memory then holds only the streams
    still open). What is returned are the incidents not handed over.
    """
    states: dict[str, IncidentState] = {}
    known = states.get
    for stream_id, version, event_type, data, recorded, last in events:
        if not stream_id.startswith(domain.STREAM_PREFIX):
            continue
        new = fold_step(known(stream_id), stream_id, version, event_type, data, recorded)
        if new is None:
            continue
        if last and settled is not None:
            states.pop(stream_id, None)
            settled(new)
        else:
            states[stream_id] = new
    return states


def happened_by(states: Iterable[IncidentState], as_of: date | None) -> list[IncidentState]:
    """World time: the incidents that had happened by `as_of` (all of them when None)."""
    return [s for s in states if as_of is None or s.world_date <= as_of]


def relabel(state: IncidentState, codes: dict[str, str]) -> IncidentState:
    """The same incident with actor/target codes mapped (children rolled into a parent)."""
    fields = dict(state.fields)
    for role in ("actor", "target"):
        if fields.get(role) in codes:
            fields[role] = codes[fields[role]]
    return replace(state, fields=fields)


def source_summary(state: IncidentState, source: dict[str, Any]) -> dict[str, Any]:
    """What a reader needs to trace a figure back to an article and a sentence."""
    return {
        "incident_id": state.incident_id,
        "article_id": source.get("article_id"),
        "outlet": source.get("outlet"),
        "url": source.get("url"),
        "title": source.get("title"),
        "published_at": source.get("published_at"),
        "speaker": source.get("speaker"),
        "evidence": source.get("evidence", ""),
    }
