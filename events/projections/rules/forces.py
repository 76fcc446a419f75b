"""Forces: who has how many troops where (pure functions of incident states).

Per actor, country, place (blank when the report is about the whole country) and unit:
the latest stated force level, plus the deployments and withdrawals of known size after
it. Statements made within `window_days` of the latest one are taken as concurrent
estimates (2,000 and 2,500 US troops in Iraq), so the level is a low-high range with the
sources on each side. Denied, planned, retracted and merged incidents never move it.

The read model in one module: the pure rules first, then its table, `refresh` (the keys
the incidents a batch touched decide, recomputed from the incident rows), the rebuild's
`collector` and `RULE`, which events/projections/rules/__init__.py lists in `DERIVED`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q

from events.domain.incident_state import IncidentState, source_summary
from events.projections.engine.bulk import write_rows
from events.projections.engine.config import (
    CountryNames,
    RuleContext,
    country_level_names,
    force_window_days,
)
from events.projections.engine.derived import DerivedRule
from events.projections.rules.incidents import IncidentRow, any_of, states_in

DEPLOY, WITHDRAW, FORCE_LEVEL = "deploy", "withdraw", "force_level"
FORCE_TYPES = (DEPLOY, WITHDRAW, FORCE_LEVEL)
DEFAULT_WINDOW_DAYS = 180
# "A battalion" with no number is one battalion (the extraction contract says so).
FORMATIONS = frozenset(
    {"battalion", "brigade", "company", "division", "regiment", "platoon", "squadron", "battery"}
)
_UNIT_SYNONYMS = {"troop": "troops", "soldiers": "troops", "soldier": "troops"}
_UNIT_SYNONYMS |= {"personnel": "troops", "service members": "troops"}

Key = tuple[str, str, str, str]  # actor, country, place ('' = country-wide), unit


def normalize_unit(unit: str) -> str:
    unit = unit.strip().lower()
    unit = _UNIT_SYNONYMS.get(unit, unit)
    if unit.endswith("s") and unit[:-1] in FORMATIONS:
        unit = unit[:-1]
    return unit


def place_of(state: IncidentState, country_names: CountryNames) -> str:
    location = state.location or ""
    if (state.country or "", location.lower()) in country_names:
        return ""
    return location


def may_have_key(state: IncidentState) -> bool:
    """Whether `force_key` can give the state a key (everything but the place's name)."""
    return bool(
        state.type in FORCE_TYPES
        and state.actor
        and state.country
        and (state.fields.get("quantity") or None)
    )


def force_key(state: IncidentState, country_names: CountryNames) -> Key | None:
    quantity = state.fields.get("quantity") or None
    if state.type not in FORCE_TYPES or not state.actor or not state.country or not quantity:
        return None
    return (
        state.actor,
        state.country,
        place_of(state, country_names),
        normalize_unit(quantity["unit"]),
    )


def _size(quantity: dict[str, Any] | None, unit: str) -> int | None:
    if not quantity or normalize_unit(str(quantity.get("unit", ""))) != unit:
        return None
    value = quantity.get("value")
    if value is None:
        return 1 if unit in FORMATIONS else None
    return int(value)


@dataclass(frozen=True)
class ForceFact:
    incident_id: str
    kind: str
    on: date
    order: tuple[date, str, str]
    # (size, source) pairs: a corroborating source may report another figure. Only a
    # statement's sources are shown (a movement shows its size): None for a movement's.
    values: tuple[tuple[int, dict[str, Any] | None], ...]


def force_fact(state: IncidentState, unit: str) -> ForceFact | None:
    if not state.happened:
        return None
    own = _size(state.fields.get("quantity"), unit)
    statement = state.type == FORCE_LEVEL
    values = []
    for source in state.active_sources:
        reported = source.get("reported") or {}
        size = _size(reported["quantity"], unit) if "quantity" in reported else own
        if size is not None:
            values.append((size, source_summary(state, source) if statement else None))
    if not values:
        return None
    return ForceFact(state.incident_id, state.type, state.world_date, state.sort_key, tuple(values))


@dataclass
class ForceRow:
    actor: str
    country: str
    place: str
    unit: str
    low: int
    high: int
    since: str
    stated_on: str | None
    estimates: list[dict[str, Any]] = field(default_factory=list)
    movements: list[dict[str, Any]] = field(default_factory=list)
    incident_ids: list[str] = field(default_factory=list)

    @property
    def key(self) -> Key:
        return (self.actor, self.country, self.place, self.unit)

    def to_json(self) -> dict[str, Any]:
        # Shallow (not `asdict`, which deep-copies every estimate and source): the values
        # are JSON data built for this row alone.
        return {f.name: getattr(self, f.name) for f in fields(self)}


def force_row(key: Key, facts: list[ForceFact], window_days: int = DEFAULT_WINDOW_DAYS) -> ForceRow:
    facts = sorted(facts, key=lambda f: f.order)
    statements = [f for f in facts if f.kind == FORCE_LEVEL]
    moves = [f for f in facts if f.kind != FORCE_LEVEL]
    estimates: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if statements:
        latest = statements[-1]
        for statement in statements:
            if (latest.on - statement.on).days <= window_days:
                for size, source in statement.values:
                    estimates[size].append(
                        {**(source or {}), "stated_on": statement.on.isoformat()}
                    )
        low, high = min(estimates), max(estimates)
        moves = [m for m in moves if m.on > latest.on]
        since, stated_on = latest.on, latest.on.isoformat()
    else:
        low = high = 0
        since, stated_on = (moves[0].on if moves else date.min), None
    delta = 0
    movements = []
    for move in moves:
        size = move.values[0][0]  # the incident's own figure
        delta += size if move.kind == DEPLOY else -size
        movements.append(
            {
                "incident_id": move.incident_id,
                "type": move.kind,
                "size": size,
                "on": move.on.isoformat(),
            }
        )
    return ForceRow(
        actor=key[0],
        country=key[1],
        place=key[2],
        unit=key[3],
        low=max(0, low + delta),
        high=max(0, high + delta),
        since=since.isoformat(),
        stated_on=stated_on,
        estimates=[{"size": size, "sources": estimates[size]} for size in sorted(estimates)],
        movements=movements,
        incident_ids=sorted({f.incident_id for f in facts}),
    )


class ForceFacts:
    """Force facts collected one incident at a time (a rebuild adds each incident as soon
    as it is folded, while it is still in the cache), then turned into rows."""

    def __init__(self, country_names: CountryNames) -> None:
        self.country_names = country_names
        self.facts: dict[Key, list[ForceFact]] = defaultdict(list)

    def add(self, state: IncidentState) -> None:
        key = force_key(state, self.country_names)
        fact = force_fact(state, key[3]) if key else None
        if key and fact:
            self.facts[key].append(fact)

    def merge(self, other: ForceFacts) -> None:
        """Add the facts another collector gathered (a rebuild's other share of the log):
        `force_row` orders each key's facts itself, so the order they came in is moot."""
        for key, facts in other.facts.items():
            self.facts[key].extend(facts)

    def rows(self, window_days: int = DEFAULT_WINDOW_DAYS) -> list[ForceRow]:
        """Every force row the incidents support, sorted by key."""
        return [force_row(key, self.facts[key], window_days) for key in sorted(self.facts)]

    def columns(self, context: RuleContext) -> Iterator[dict[str, Any]]:
        return (force_columns(r) for r in self.rows(context.window_days))


def force_rows(
    states: Iterable[IncidentState],
    country_names: CountryNames,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> list[ForceRow]:
    """Every force row the incidents support, sorted by key."""
    facts = ForceFacts(country_names)
    for state in states:
        facts.add(state)
    return facts.rows(window_days)


# --- the table and how the projector keeps it -------------------------------------


class ForceLevel(models.Model):
    """A `forces.ForceRow` (in `data`, exactly as folded) under its key."""

    actor = models.CharField(max_length=120)
    country = models.CharField(max_length=3)
    place = models.CharField(max_length=200, blank=True, default="")
    unit = models.CharField(max_length=40)
    data = models.JSONField()

    class Meta:
        db_table = "events_proj_force_level"
        ordering = ["actor", "country", "place", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "country", "place", "unit"], name="force_level_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor} in {self.country}/{self.place or '-'} ({self.unit})"


def force_columns(row: ForceRow) -> dict[str, Any]:
    return {
        "actor": row.actor,
        "country": row.country,
        "place": row.place,
        "unit": row.unit,
        "data": row.to_json(),
    }


def _at_place(actor: str, country: str, place: str, names: CountryNames) -> Q:
    """Incident rows whose place (forces.place_of) can be `place`: read only those, not
    every report of the actor in the country (a hot group is hundreds of states)."""
    here = Q(actor=actor, country=country)
    if place:
        return here & Q(location=place)
    country_wide = Q(location__isnull=True) | Q(location="")
    for code, name in names:
        if code == country:
            country_wide |= Q(location__iexact=name)
    return here & country_wide


def refresh(touched: Sequence[IncidentState]) -> None:
    if not any(may_have_key(s) for s in touched):
        return  # most batches: no need to read the registry's country names
    names = country_level_names()
    keys = {key for s in touched if (key := force_key(s, names))}
    if not keys:
        return
    rows = IncidentRow.objects.filter(type__in=FORCE_TYPES).filter(
        any_of(_at_place(actor, country, place, names) for actor, country, place, _ in keys)
    )
    ForceLevel.objects.filter(
        any_of(Q(actor=a, country=c, place=p, unit=u) for a, c, p, u in keys)
    ).delete()
    write_rows(
        ForceLevel,
        (
            force_columns(r)
            for r in force_rows(states_in(rows), names, force_window_days())
            if r.key in keys
        ),
    )


def refresh_all() -> int:
    """Recompute every force row from the incident rows, with the registry as it is now
    (which place names mean a whole country); return how many rows there are."""
    rows = force_rows(
        states_in(IncidentRow.objects.filter(type__in=FORCE_TYPES)),
        country_level_names(),
        force_window_days(),
    )
    ForceLevel.objects.all().delete()
    write_rows(ForceLevel, (force_columns(r) for r in rows))
    return len(rows)


def collector(context: RuleContext) -> ForceFacts:
    return ForceFacts(context.names)


RULE = DerivedRule(table=ForceLevel, refresh=refresh, collector=collector)
