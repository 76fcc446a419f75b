"""One incident as an export row: ACLED's columns in spirit, this project's values.

Columns the incident itself does not hold come from the registry where the incident
names something the registry knows, and stay empty otherwise (never guessed):
`actor1_kind` / `actor2_kind` from the Actor with that code, `country` from the state
Actor whose code is the incident's ISO3, `admin1` and `geo_precision` from the Place
whose name is the incident's location (in the incident's country when it names one).
`sub_event_type` has no counterpart in this project's types and is always empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from events.domain.incident_state import IncidentState
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
    admin1: str | None
    precision: str


@dataclass
class RegistryFacts:
    """What the registry says about codes and places, read once per export (the registry
    is small beside the incidents; a COPY in progress leaves no room for lookups)."""

    actor_kinds: dict[str, str] = field(default_factory=dict)
    actor_names: dict[str, str] = field(default_factory=dict)
    state_names: dict[str, str] = field(default_factory=dict)
    places: dict[str, list[PlaceFacts]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> RegistryFacts:
        facts = cls()
        for code, kind, name in Actor.objects.values_list("code", "kind", "name"):
            facts.actor_kinds[code] = kind
            facts.actor_names[code] = name
            if kind == ActorKind.STATE:
                facts.state_names[code] = name
        rows = Place.objects.values_list("name", "country", "region", "precision")
        for name, country, region, precision in rows:
            facts.places.setdefault(name, []).append(PlaceFacts(country, region or None, precision))
        return facts

    def place(self, state: IncidentState) -> PlaceFacts | None:
        """The Place named as the incident's location (in its country, when it names one)."""
        for candidate in self.places.get(state.location or "", ()):
            if state.country is None or candidate.country == state.country:
                return candidate
        return None


def outlets(sources: list[dict[str, Any]]) -> list[str]:
    """The outlets of the sources, each once, in the order they reported."""
    return list(dict.fromkeys(str(s["outlet"]) for s in sources if s.get("outlet")))


def evidence(sources: list[dict[str, Any]]) -> str:
    """The first report's evidence sentence (the one the incident was opened on)."""
    return next((str(s["evidence"]) for s in sources if s.get("evidence")), "")


def export_row(state: IncidentState, facts: RegistryFacts) -> tuple[Any, ...]:
    """The incident's CSV cells in CSV_COLUMNS order: None where nothing is known,
    `true`/`false`, the outlets joined by '; '."""
    fields = state.fields
    quantity = fields.get("quantity") or {}
    place = facts.place(state)
    sources = state.active_sources
    world_date = state.world_date
    return (
        state.incident_id,
        world_date.isoformat(),
        world_date.year,
        fields.get("date_precision"),
        fields["type"],
        None,  # sub_event_type: no counterpart in this project's types
        fields.get("actor"),
        facts.actor_kinds.get(fields.get("actor") or ""),
        fields.get("target"),
        facts.actor_kinds.get(fields.get("target") or ""),
        facts.state_names.get(fields.get("country") or ""),
        fields.get("country"),
        place.admin1 if place else None,
        fields.get("location"),
        fields.get("latitude"),
        fields.get("longitude"),
        place.precision if place else None,
        fields.get("killed"),
        fields.get("injured"),
        quantity.get("value"),
        quantity.get("unit"),
        state.factuality,
        "true" if state.verified else "false",
        state.confidence,
        SOURCE_SEPARATOR.join(outlets(sources)),
        len(sources),
        evidence(sources),
        fields.get("deadline"),
        state.status,
        state.last_recorded_at,
    )
