"""The incidents projector: incident rows, and the forces, stances and ultimatums read
models derived from them, all under one checkpoint.

Forces, stances and ultimatums are functions of incident states, so they are recomputed,
with the pure rules, for the keys the batch touched (before and after the change), from
the incident rows this same transaction just wrote: all read models move together.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db.models import Q

from events import store
from events.domain import STREAM_PREFIX
from events.projections import forces, stances, ultimatums
from events.projections.base import LogReplay, Projector
from events.projections.bulk import write_rows
from events.projections.config import force_window_days, stance_half_life_days
from events.projections.incident_state import IncidentState, fold_incidents
from events.projections.places import country_level_names
from events.projections.tables import ForceLevel, IncidentRow, IncidentSource, Stance, Ultimatum


def incident_columns(state: IncidentState) -> dict[str, Any]:
    return {
        "stream_id": state.stream_id,
        "version": state.version,
        "type": state.type,
        "actor": state.actor,
        "target": state.target,
        "location": state.location,
        "country": state.country,
        "world_date": state.world_date,
        "factuality": state.factuality,
        "status": state.status,
        "verified": state.verified,
        "needs_review": state.needs_review,
        "confidence": state.confidence,
        "state": state.to_json(),
    }


def states_of(rows: Iterable[IncidentRow]) -> list[IncidentState]:
    return [IncidentState.from_json(row.state) for row in rows]


def _rows(states: Iterable[IncidentState]) -> list[IncidentRow]:
    return [IncidentRow(incident_id=s.incident_id, **incident_columns(s)) for s in states]


def source_columns(states: Iterable[IncidentState]) -> Iterator[dict[str, Any]]:
    for state in states:
        for source in state.active_sources:
            yield {
                "incident_id": state.incident_id,
                "article_id": source.get("article_id"),
                "outlet": source.get("outlet"),
                "url": source.get("url"),
            }


def _source_rows(states: Iterable[IncidentState]) -> list[IncidentSource]:
    return [IncidentSource(**columns) for columns in source_columns(states)]


_UPDATED_COLUMNS = [f.name for f in IncidentRow._meta.concrete_fields if not f.primary_key]


def _save_incidents(states: Sequence[IncidentState]) -> None:
    IncidentRow.objects.bulk_create(
        _rows(states),
        update_conflicts=True,
        unique_fields=["incident_id"],
        update_fields=_UPDATED_COLUMNS,
    )
    ids = [uuid.UUID(s.incident_id) for s in states]
    IncidentSource.objects.filter(incident_id__in=ids).delete()
    IncidentSource.objects.bulk_create(_source_rows(states))


def _refresh_forces(touched: Sequence[IncidentState]) -> None:
    names = country_level_names()
    keys = {key for s in touched if (key := forces.force_key(s, names))}
    for actor, country in sorted({(k[0], k[1]) for k in keys}):
        group = IncidentRow.objects.filter(
            actor=actor, country=country, type__in=forces.FORCE_TYPES
        )
        rows = forces.force_rows(states_of(group), names, force_window_days())
        for a, c, place, unit in [k for k in keys if k[:2] == (actor, country)]:
            ForceLevel.objects.filter(actor=a, country=c, place=place, unit=unit).delete()
        ForceLevel.objects.bulk_create(
            ForceLevel(
                actor=r.actor, country=r.country, place=r.place, unit=r.unit, data=r.to_json()
            )
            for r in rows
            if r.key in keys
        )


def _refresh_stances(touched: Sequence[IncidentState]) -> None:
    for actor, target in sorted({pair for s in touched if (pair := stances.stance_pair(s))}):
        pair_rows = IncidentRow.objects.filter(actor=actor, target=target)
        Stance.objects.filter(actor=actor, target=target).delete()
        for row in stances.stance_rows(states_of(pair_rows), stance_half_life_days()):
            Stance.objects.create(actor=row.actor, target=row.target, data=row.to_json())


def _refresh_ultimatums(touched: Sequence[IncidentState]) -> None:
    relevant = [s for s in touched if s.type in ultimatums.RELEVANT_TYPES]
    actors = {code for s in relevant for code in (s.actor, s.target) if code}
    touched_ids = [s.incident_id for s in touched]
    Ultimatum.objects.filter(
        Q(incident_id__in=touched_ids) | Q(issuer__in=actors) | Q(addressee__in=actors)
    ).delete()
    if not actors:
        return
    recompute = IncidentRow.objects.filter(type="ultimatum").filter(
        Q(actor__in=actors) | Q(target__in=actors)
    )
    parties = set(actors)
    for row in recompute:
        parties |= {code for code in (row.actor, row.target) if code}
    recompute_ids = {str(row.incident_id) for row in recompute}
    related = IncidentRow.objects.filter(type__in=ultimatums.RELEVANT_TYPES).filter(
        Q(actor__in=parties) | Q(target__in=parties)
    )
    Ultimatum.objects.bulk_create(
        Ultimatum(
            incident_id=r.incident_id, issuer=r.issuer, addressee=r.addressee, data=r.to_json()
        )
        for r in ultimatums.ultimatum_rows(states_of(related))
        if r.incident_id in recompute_ids
    )


class IncidentProjector(Projector):
    name = "incidents"
    tables = (IncidentSource, IncidentRow, ForceLevel, Stance, Ultimatum)

    def apply(self, events: Sequence[store.RecordedEvent]) -> None:
        incident_events = [e for e in events if e.stream_id.startswith(STREAM_PREFIX)]
        if not incident_events:
            return
        stream_ids = {e.stream_id for e in incident_events}
        before = {
            row.stream_id: IncidentState.from_json(row.state)
            for row in IncidentRow.objects.filter(stream_id__in=stream_ids)
        }
        after = fold_incidents(incident_events, before)
        changed = [after[s] for s in sorted(stream_ids) if s in after]
        _save_incidents(changed)
        touched = [*before.values(), *changed]
        _refresh_forces(touched)
        _refresh_stances(touched)
        _refresh_ultimatums(touched)

    def build(self, replay: LogReplay) -> None:
        """A rebuild folds the whole log in memory, then writes every table in bulk."""
        states = list(fold_incidents(replay).values())
        write_rows(
            IncidentRow, ({"incident_id": s.incident_id, **incident_columns(s)} for s in states)
        )
        write_rows(
            IncidentSource,
            source_columns(states),
        )
        force_rows = forces.force_rows(states, country_level_names(), force_window_days())
        write_rows(
            ForceLevel,
            (
                {
                    "actor": r.actor,
                    "country": r.country,
                    "place": r.place,
                    "unit": r.unit,
                    "data": r.to_json(),
                }
                for r in force_rows
            ),
        )
        write_rows(
            Stance,
            (
                {"actor": r.actor, "target": r.target, "data": r.to_json()}
                for r in stances.stance_rows(states, stance_half_life_days())
            ),
        )
        write_rows(
            Ultimatum,
            (
                {
                    "incident_id": r.incident_id,
                    "issuer": r.issuer,
                    "addressee": r.addressee,
                    "data": r.to_json(),
                }
                for r in ultimatums.ultimatum_rows(states)
            ),
        )
