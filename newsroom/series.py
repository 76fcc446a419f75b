"""Read queries behind the map and the series pages, over the incidents projection.

The series are computed with the projections' own folding rules (events.projections:
stances, forces), applied to the incidents up to each date, so a point on a chart is the
figure the API would have answered `as_of` that date.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.urls import reverse

from events.domain import incident_state
from events.projections.engine.config import (
    country_level_names,
    force_window_days,
    stance_half_life_days,
)
from events.projections.rules import IncidentRow, forces, stances
from newsroom.selectors import is_undated
from registry.knowledge import load_world

WEEKS_SHOWN = 104


def _states(rows: Any) -> list[incident_state.IncidentState]:
    return [
        incident_state.IncidentState.from_json(state)
        for state in rows.values_list("state", flat=True)
    ]


def incident_url(incident_id: str) -> str:
    return reverse("admin:events_incidentrow_change", args=[incident_id])


# --- the map ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MapFilter:
    type: str | None = None
    actor: str | None = None
    country: str | None = None
    since: date | None = None
    until: date | None = None

    def rows(self) -> Any:
        rows = IncidentRow.objects.filter(status=incident_state.ACTIVE)
        if self.type:
            rows = rows.filter(type=self.type)
        if self.actor:
            rows = rows.filter(Q(actor=self.actor) | Q(target=self.actor))
        if self.country:
            rows = rows.filter(country=self.country.upper())
        if self.since:
            rows = rows.filter(world_date__gte=self.since)
        if self.until:
            rows = rows.filter(world_date__lte=self.until)
        return rows


def country_centres() -> dict[str, tuple[float, float]]:
    """Each state's centre (the knowledge base's), for incidents placed only by country."""
    return {
        s["code"]: (float(s["latitude"]), float(s["longitude"]))
        for s in load_world().states
        if s.get("latitude") is not None and s.get("longitude") is not None
    }


def casualties(fields: dict[str, Any]) -> int:
    return int(fields.get("killed") or 0) + int(fields.get("injured") or 0)


def map_points(wanted: MapFilter) -> dict[str, Any]:
    """The incidents as map points (their own coordinates, else their country's centre),
    and how many had no place at all."""
    centres = country_centres()
    points, unplaced = [], 0
    for state in _states(wanted.rows().order_by("world_date", "incident_id")):
        lat, lon = state.fields.get("latitude"), state.fields.get("longitude")
        approximate = False
        if lat is None or lon is None:
            if state.country not in centres:
                unplaced += 1
                continue
            (lat, lon), approximate = centres[str(state.country)], True
        points.append(
            {
                "id": state.incident_id,
                "url": incident_url(state.incident_id),
                "lat": lat,
                "lon": lon,
                "approximate": approximate,
                "type": state.type,
                "actor": state.actor,
                "target": state.target,
                "place": state.location or state.country,
                "date": state.world_date.isoformat(),
                "killed": state.fields.get("killed"),
                "injured": state.fields.get("injured"),
                "casualties": casualties(state.fields),
            }
        )
    return {"points": points, "unplaced": unplaced}


def filter_choices() -> dict[str, list[str]]:
    rows = IncidentRow.objects.filter(status=incident_state.ACTIVE)
    return {
        "types": sorted(set(rows.values_list("type", flat=True))),
        "actors": sorted({a for a in rows.values_list("actor", flat=True).distinct() if a}),
        "countries": sorted({c for c in rows.values_list("country", flat=True).distinct() if c}),
    }


# --- series ----------------------------------------------------------------------------


def stance_series(actor: str, target: str) -> dict[str, Any]:
    """The stance of actor towards target after each incident between them (both ways),
    with the incidents as points to click."""
    half_life = stance_half_life_days()
    rows = IncidentRow.objects.filter(Q(actor=actor, target=target) | Q(actor=target, target=actor))
    states = sorted((s for s in _states(rows) if s.happened), key=incident_state.order_key)
    lines: dict[str, list[dict[str, Any]]] = {}
    for first, second in ((actor, target), (target, actor)):
        groups = stances.StanceGroups()
        points = []
        for state in states:
            if (state.actor, state.target) != (first, second):
                continue
            groups.add(state)
            (row,) = groups.rows(half_life)
            points.append(
                {
                    "x": state.world_date.isoformat(),
                    "y": row.score(state.world_date, half_life),
                    "id": state.incident_id,
                    "url": incident_url(state.incident_id),
                    "type": state.type,
                    "weight": stances.WEIGHTS.get(state.type),
                }
            )
        lines[f"{first} → {second}"] = points
    return {"lines": lines}


def force_series(actor: str, country: str) -> list[dict[str, Any]]:
    """For each place and unit of the actor's forces in the country: the low-high range
    after each fact (a step line with its band) and the sources of each estimate."""
    window = force_window_days()
    names = country_level_names()
    collected = forces.ForceFacts(names)
    for state in _states(IncidentRow.objects.filter(actor=actor, country=country.upper())):
        collected.add(state)
    series = []
    for key in sorted(collected.facts):
        facts = sorted(collected.facts[key], key=lambda f: f.order)
        steps = []
        for index, fact in enumerate(facts):
            row = forces.force_row(key, facts[: index + 1], window)
            steps.append(
                {
                    "x": fact.on.isoformat(),
                    "low": row.low,
                    "high": row.high,
                    "kind": fact.kind,
                    "id": fact.incident_id,
                    "url": incident_url(fact.incident_id),
                }
            )
        final = forces.force_row(key, facts, window)
        series.append(
            {
                "label": f"{key[0]} in {key[2] or key[1]} ({key[3]})",
                "steps": steps,
                "estimates": final.estimates,
                "movements": final.movements,
            }
        )
    return series


def weekly_incidents(actor: str, *, weeks: int = WEEKS_SHOWN) -> dict[str, Any]:
    """Incidents per week with the actor as actor, by type (at their world date: stated,
    else their first publication), from its first to its last week (at most `weeks`);
    undated incidents (newsroom.selectors.is_undated) are counted apart."""
    every = _states(IncidentRow.objects.filter(actor=actor, status=incident_state.ACTIVE))
    states = [s for s in every if not is_undated(s)]
    undated = len(every) - len(states)
    if not states:
        return {"labels": [], "datasets": [], "undated": undated}
    last = max(s.world_date for s in states)
    last_week = last - timedelta(days=last.weekday())
    first = min(s.world_date for s in states)
    first_week = max(
        first - timedelta(days=first.weekday()), last_week - timedelta(weeks=weeks - 1)
    )
    count = (last_week - first_week).days // 7 + 1
    per_type: dict[str, list[int]] = defaultdict(lambda: [0] * count)
    for state in states:
        index = (state.world_date - first_week).days // 7
        if 0 <= index < count:
            per_type[state.type][index] += 1
    return {
        "labels": [(first_week + timedelta(weeks=i)).isoformat() for i in range(count)],
        "datasets": [{"label": t, "data": per_type[t]} for t in sorted(per_type)],
        "undated": undated,
    }
