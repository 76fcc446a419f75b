"""One incident as an export row: ACLED's columns in spirit, this project's values.

Columns the incident itself does not hold come from the registry where the incident
names something the registry knows, and stay empty otherwise (never guessed):
`actor1_kind` / `actor2_kind` from the Actor with that code, `country` from the state
Actor whose code is the incident's ISO3, `admin1` and `geo_precision` from the Place
whose name is the incident's location (in the incident's country when it names one).
`sub_event_type` has no counterpart in this project's types and is always empty.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from events.projections.incident_state import IncidentState
from registry.models import Actor, ActorKind, Place

CSV_COLUMNS = (
    "incident_id",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor1_kind",
    "actor2",
    "actor2_kind",
    "country",
    "iso3",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "injured",
    "quantity",
    "unit",
    "factuality",
    "verified",
    "confidence",
    "sources",
    "source_count",
    "notes",
    "deadline",
    "status",
    "last_changed",
)
SOURCE_SEPARATOR = "; "


@dataclass(frozen=True)
class PlaceFacts:
    country: str
    admin1: str
    precision: str


@dataclass
class RegistryFacts:
    """What the registry says about the codes and places of the incidents exported so
    far: actors read once, places looked up a chunk's new names at a time."""

    actor_kinds: dict[str, str] = field(default_factory=dict)
    state_names: dict[str, str] = field(default_factory=dict)
    places: dict[str, list[PlaceFacts]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> RegistryFacts:
        facts = cls()
        for code, kind, name in Actor.objects.values_list("code", "kind", "name"):
            facts.actor_kinds[code] = kind
            if kind == ActorKind.STATE:
                facts.state_names[code] = name
        return facts

    def learn_places(self, states: Iterable[IncidentState]) -> None:
        names = {s.location for s in states if s.location} - set(self.places)
        if not names:
            return
        for name in names:
            self.places[name] = []
        found = Place.objects.filter(name__in=names).values_list(
            "name", "country", "region", "precision"
        )
        for name, country, region, precision in found:
            self.places[name].append(PlaceFacts(country, region, precision))

    def place(self, state: IncidentState) -> PlaceFacts | None:
        candidates = self.places.get(state.location or "", [])
        for candidate in candidates:
            if state.country is None or candidate.country == state.country:
                return candidate
        return None


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def outlets(state: IncidentState) -> list[str]:
    """The outlets of the active sources, each once, in the order they reported."""
    seen: dict[str, None] = {}
    for source in state.active_sources:
        if source.get("outlet"):
            seen[str(source["outlet"])] = None
    return list(seen)


def evidence(state: IncidentState) -> str:
    """The first report's evidence sentence (the one the incident was opened on)."""
    for source in state.active_sources:
        if source.get("evidence"):
            return str(source["evidence"])
    return ""


def export_row(state: IncidentState, facts: RegistryFacts) -> dict[str, Any]:
    """The incident's values by CSV column (None where nothing is known)."""
    fields = state.fields
    quantity = fields.get("quantity") or {}
    place = facts.place(state)
    return {
        "incident_id": state.incident_id,
        "event_date": state.world_date.isoformat(),
        "year": state.world_date.year,
        "time_precision": fields.get("date_precision"),
        "event_type": state.type,
        "sub_event_type": None,
        "actor1": state.actor,
        "actor1_kind": facts.actor_kinds.get(state.actor or ""),
        "actor2": state.target,
        "actor2_kind": facts.actor_kinds.get(state.target or ""),
        "country": facts.state_names.get(state.country or ""),
        "iso3": state.country,
        "admin1": place.admin1 or None if place else None,
        "location": state.location,
        "latitude": fields.get("latitude"),
        "longitude": fields.get("longitude"),
        "geo_precision": place.precision if place else None,
        "fatalities": fields.get("killed"),
        "injured": fields.get("injured"),
        "quantity": quantity.get("value"),
        "unit": quantity.get("unit"),
        "factuality": state.factuality,
        "verified": state.verified,
        "confidence": state.confidence,
        "sources": outlets(state),
        "source_count": len(state.active_sources),
        "notes": evidence(state),
        "deadline": fields.get("deadline"),
        "status": state.status,
        "last_changed": state.last_recorded_at,
    }


def csv_values(row: dict[str, Any]) -> list[str]:
    """The row as CSV cells in CSV_COLUMNS order: empty for unknown, `true`/`false`,
    the outlets joined by '; '."""
    cells = []
    for column in CSV_COLUMNS:
        value = row[column]
        if isinstance(value, bool):
            cells.append("true" if value else "false")
        elif isinstance(value, list):
            cells.append(SOURCE_SEPARATOR.join(value))
        else:
            cells.append(_text(value))
    return cells
