"""Actors: the registry plus the codes incidents name; one actor's summary page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import Q
from django.db.models.fields.json import KeyTransform
from django.urls import reverse

from events.api.representations import stance_json
from events.domain.incident_state import (
    IncidentState,
    relabel,
)
from events.projections.engine.config import (
    country_level_names,
    force_window_days,
    stance_half_life_days,
)
from events.projections.rules import (
    ForceLevel,
    IncidentRow,
    Stance,
    forces,
    stances,
    ultimatums,
)
from events.projections.rules.incidents import states_of, undated_flag
from events.selectors.common import NOW, NotFound, TimePoint, incident_states
from events.selectors.log import storable
from events.selectors.ultimatums import ultimatums_page
from registry.models import Actor

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


def _newest_first(entry: tuple[bool, dict[str, Any]]) -> tuple[bool, str, str]:
    # Sorted in reverse: dated entries before the undated ones (dated only by their
    # recording, they are not today's news).
    undated, values = entry
    return (not undated, values["world_date"], values["incident_id"])


def _undated(state: IncidentState) -> bool:
    return state.occurred_on is None and not any(s.get("published_at") for s in state.sources)


def _timeline_from_tables(codes: set[str]) -> list[dict[str, Any]]:
    """The newest incidents naming any of the codes, as actor or as target: two ordered,
    limited reads (each side can use its own index), merged here."""
    newest = ("undated", "-world_date", "-incident_id")
    sides = [
        IncidentRow.objects.filter(actor__in=codes),
        IncidentRow.objects.filter(target__in=codes).exclude(actor__in=codes),
    ]
    entries = [
        (bool(values["undated"]), _timeline_entry(values))
        for side in sides
        for values in side.annotate(undated=undated_flag())
        .order_by(*newest)
        .values(*_TIMELINE_COLUMNS, "undated")[:TIMELINE_LENGTH]
    ]
    ordered = sorted(entries, key=_newest_first, reverse=True)
    return [entry for _, entry in ordered][:TIMELINE_LENGTH]


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
    timeline = [
        entry
        for _, entry in sorted(
            ((_undated(state), _timeline_of_state(state)) for state in rolled),
            key=_newest_first,
            reverse=True,
        )
    ]
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
    actor = Actor.objects.filter(code=storable(code, "actor")).first()
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
