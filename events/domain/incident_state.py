"""An incident's current state (what `fold` makes of its stream) and its views.

The state is plain JSON-able data, so the incidents table stores it as is and the
as_of / known_at queries rebuild exactly the same thing from the log.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any, NamedTuple, Protocol

from events.domain import payloads as domain

ACTIVE, RETRACTED, MERGED = "active", "retracted", "merged"


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
