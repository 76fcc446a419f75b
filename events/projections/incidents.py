"""The incidents projector: incident rows, and the forces, stances and ultimatums read
models derived from them, all under one checkpoint.

Forces, stances and ultimatums are functions of incident states, so they are recomputed,
with the pure rules, for the keys the batch touched (before and after the change), from
the incident rows this same transaction just wrote: all read models move together.
"""

from __future__ import annotations

import operator
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from functools import reduce
from typing import Any

import orjson
from django.db import connection, transaction
from django.db.models import Model, Q, QuerySet, TextField
from django.db.models.functions import Cast

from events import store
from events.domain import STREAM_PREFIX
from events.projections import forces, shares, stances, ultimatums
from events.projections.base import LogReplay, Projector
from events.projections.bulk import (
    StreamingCopy,
    in_background,
    side_connection_setup,
    uuid_bytes,
    write_rows,
)
from events.projections.config import force_window_days, stance_half_life_days
from events.projections.forces import CountryNames
from events.projections.incident_state import (
    IncidentState,
    IncidentSummary,
    fold_incidents,
    fold_logged,
    summary_of,
)
from events.projections.log_scan import LogScan
from events.projections.places import country_level_names
from events.projections.tables import ForceLevel, IncidentRow, IncidentSource, Stance, Ultimatum

INCIDENT_FIELDS = (
    "incident_id",
    "stream_id",
    "version",
    "type",
    "actor",
    "target",
    "location",
    "country",
    "world_date",
    "factuality",
    "status",
    "verified",
    "needs_review",
    "confidence",
    "state",
)
SOURCE_FIELDS = ("incident_id", "article_id", "outlet", "url")


def incident_values(state: IncidentState, incident_id: Any = None) -> tuple[Any, ...]:
    """The incident row's values, in INCIDENT_FIELDS order (`incident_id`: the id as the
    writer takes it, when not its text)."""
    fields = state.fields
    return (
        state.incident_id if incident_id is None else incident_id,
        state.stream_id,
        state.version,
        str(fields["type"]),
        fields.get("actor"),
        fields.get("target"),
        fields.get("location"),
        fields.get("country"),
        state.world_date,
        state.factuality,
        state.status,
        state.verified,
        state.needs_review,
        state.confidence,
        state.to_json(),
    )


def incident_columns(state: IncidentState) -> dict[str, Any]:
    return dict(zip(INCIDENT_FIELDS, incident_values(state), strict=True))


def states_of(rows: Iterable[IncidentRow]) -> list[IncidentState]:
    return [IncidentState.from_json(row.state) for row in rows]


def states_in(rows: QuerySet[IncidentRow]) -> list[IncidentState]:
    """The states of the rows the query selects, fetched as JSON text and decoded with
    orjson: no model instances, no JSONField decoding (a batch reads hot groups whole)."""
    texts = rows.annotate(state_text=Cast("state", output_field=TextField()))
    return [
        IncidentState.from_json(orjson.loads(text))
        for text in texts.values_list("state_text", flat=True)
    ]


_SUMMARY_COLUMNS = ("incident_id", "type", "actor", "target", "world_date", "status", "factuality")


def summaries_of(rows: QuerySet[IncidentRow]) -> list[IncidentSummary]:
    """The rows as summaries: only the columns, no state to parse (hot pairs are long)."""
    return [
        IncidentSummary(str(incident_id), *rest)
        for incident_id, *rest in rows.values_list(*_SUMMARY_COLUMNS)
    ]


def source_values(state: IncidentState, incident_id: Any = None) -> Iterator[tuple[Any, ...]]:
    """The incident's source rows, in SOURCE_FIELDS order (`incident_id`: as in
    `incident_values`)."""
    row_id = state.incident_id if incident_id is None else incident_id
    for source in state.active_sources:
        yield (row_id, source.get("article_id"), source.get("outlet"), source.get("url"))


def source_columns(states: Iterable[IncidentState]) -> Iterator[dict[str, Any]]:
    for state in states:
        for values in source_values(state):
            yield dict(zip(SOURCE_FIELDS, values, strict=True))


def force_columns(row: forces.ForceRow) -> dict[str, Any]:
    return {
        "actor": row.actor,
        "country": row.country,
        "place": row.place,
        "unit": row.unit,
        "data": row.to_json(),
    }


def stance_columns(row: stances.StanceRow) -> dict[str, Any]:
    return {"actor": row.actor, "target": row.target, "data": row.to_json()}


def ultimatum_columns(row: ultimatums.UltimatumRow) -> dict[str, Any]:
    return {
        "incident_id": row.incident_id,
        "issuer": row.issuer,
        "addressee": row.addressee,
        "data": row.to_json(),
    }


def _save_incidents(states: Sequence[IncidentState]) -> None:
    # Delete and COPY rather than upsert row by row: far fewer round trips per batch.
    ids = [uuid.UUID(s.incident_id) for s in states]
    IncidentSource.objects.filter(incident_id__in=ids).delete()
    IncidentRow.objects.filter(incident_id__in=ids).delete()
    write_rows(IncidentRow, (incident_columns(s) for s in states))
    write_rows(IncidentSource, source_columns(states))


def any_of(conditions: Iterable[Q]) -> Q:
    """OR of the conditions; matches nothing when there are none."""
    return reduce(operator.or_, conditions, Q(pk__in=[]))


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


def _refresh_forces(touched: Sequence[IncidentState]) -> None:
    if not any(forces.may_have_key(s) for s in touched):
        return  # most batches: no need to read the registry's country names
    names = country_level_names()
    keys = {key for s in touched if (key := forces.force_key(s, names))}
    if not keys:
        return
    rows = IncidentRow.objects.filter(type__in=forces.FORCE_TYPES).filter(
        any_of(_at_place(actor, country, place, names) for actor, country, place, _ in keys)
    )
    ForceLevel.objects.filter(
        any_of(Q(actor=a, country=c, place=p, unit=u) for a, c, p, u in keys)
    ).delete()
    write_rows(
        ForceLevel,
        (
            force_columns(r)
            for r in forces.force_rows(states_in(rows), names, force_window_days())
            if r.key in keys
        ),
    )


def _refresh_stances(touched: Sequence[IncidentState]) -> None:
    pairs = {pair for s in touched if (pair := stances.stance_pair(s))}
    if not pairs:
        return
    same_pair = any_of(Q(actor=a, target=t) for a, t in pairs)
    Stance.objects.filter(same_pair).delete()
    rows = IncidentRow.objects.filter(same_pair, type__in=list(stances.WEIGHTS))
    write_rows(
        Stance,
        (
            stance_columns(r)
            for r in stances.stance_rows(summaries_of(rows), stance_half_life_days())
        ),
    )


def _refresh_ultimatums(touched: Sequence[IncidentState]) -> None:
    """Recompute the ultimatums a touched incident can decide: its own, those between the
    two sides of an attack, and those addressed to whoever withdrew."""
    if not any(s.type in ultimatums.RELEVANT_TYPES for s in touched):
        return
    ids = {s.incident_id for s in touched}
    pairs: set[tuple[str, str]] = set()
    withdrawers: set[str] = set()
    for state in touched:
        if state.type == "attack" and state.actor and state.target:
            pairs |= {(state.actor, state.target), (state.target, state.actor)}
        elif state.type == "withdraw" and state.actor:
            withdrawers.add(state.actor)
    Ultimatum.objects.filter(
        Q(incident_id__in=ids)
        | Q(addressee__in=withdrawers)
        | any_of(Q(issuer=a, addressee=t) for a, t in pairs)
    ).delete()
    recompute = states_in(
        IncidentRow.objects.filter(type="ultimatum").filter(
            Q(incident_id__in=ids)
            | Q(target__in=withdrawers)
            | any_of(Q(actor=a, target=t) for a, t in pairs)
        )
    )
    if not recompute:
        return
    addressees = {u.target for u in recompute if u.target}
    sides = {(u.actor, u.target) for u in recompute if u.actor and u.target}
    outcomes = summaries_of(
        IncidentRow.objects.filter(
            Q(type="withdraw", actor__in=addressees)
            | (
                Q(type="attack")
                & any_of(Q(actor=a, target=t) | Q(actor=t, target=a) for a, t in sides)
            )
        )
    )
    write_rows(
        Ultimatum,
        (
            ultimatum_columns(r)
            for r in ultimatums.resolve(
                [u for u in recompute if ultimatums.is_ultimatum(u)], outcomes
            )
        ),
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
            state.stream_id: state
            for state in states_in(IncidentRow.objects.filter(stream_id__in=stream_ids))
        }
        after = fold_incidents(incident_events, before)
        changed = [after[s] for s in sorted(stream_ids) if s in after]
        _save_incidents(changed)
        touched = [*before.values(), *changed]
        _refresh_forces(touched)
        _refresh_stances(touched)
        _refresh_ultimatums(touched)

    def refresh_forces(self) -> int:
        """Recompute every force row from the incident rows, with the registry as it is
        now (which place names mean a whole country); return how many rows there are.

        Force keys are the only part of these read models that depends on the registry,
        so a registry edit needs this, not a replay of the log. The checkpoint is locked,
        as a batch does, so no batch writes force rows in between.
        """
        with transaction.atomic():
            self._locked_checkpoint()
            rows = forces.force_rows(
                states_in(IncidentRow.objects.filter(type__in=forces.FORCE_TYPES)),
                country_level_names(),
                force_window_days(),
            )
            ForceLevel.objects.all().delete()
            write_rows(ForceLevel, (force_columns(r) for r in rows))
        return len(rows)

    def build(self, replay: LogReplay) -> None:
        """A rebuild folds the whole log in memory and writes every table in bulk."""
        names = country_level_names()
        window, half_life = force_window_days(), stance_half_life_days()
        if connection.vendor != "postgresql":
            derived = DerivedRows(names)
            states = list(fold_logged(replay.scan()).values())
            write_rows(IncidentRow, (incident_columns(s) for s in states))
            write_rows(IncidentSource, source_columns(states))
            for state in states:
                derived.add(state)
            derived.write(window, half_life, write_rows)
            return
        # The log is folded in shares, each in a process of its own that writes its
        # incidents' rows itself (_fold_share). Once all are written, the server indexes
        # them while the shares' derived inputs travel here, are merged and written.
        setup = tuple(side_connection_setup())
        fresh = replay.fresh
        with ExitStack() as indexing:

            def index_the_rows() -> None:
                stages = fresh.ready_in_stages([IncidentRow, IncidentSource]) if fresh else []
                indexing.enter_context(in_background(setup, stages))

            parts = replay.in_shares(_fold_share, _Share(setup, names), index_the_rows)
            DerivedRows.merged(parts).write(window, half_life, write_rows)


@dataclass(frozen=True)
class _Share:
    """What each process of a rebuild needs from the one that started it."""

    setup: tuple[str, ...]  # bulk.side_connection_setup(): where the fresh tables are
    names: CountryNames


def _fold_share(scan: LogScan, share: _Share) -> DerivedRows:
    """Fold one share of the log (events.projections.shares) and write its incidents.

    Each incident's rows go to the server (incidents on one connection, sources on
    another) as soon as the scan has folded its stream's last event, while its state is
    still in the CPU's caches, and the state is dropped: the server stores rows while
    Python reads and folds the rest. The derived rows need every incident: their inputs
    are collected and handed back.
    """
    derived = DerivedRows(share.names)
    setup = share.setup
    with (
        StreamingCopy(IncidentRow, INCIDENT_FIELDS, setup, uuids_as_bytes=True) as incidents,
        StreamingCopy(IncidentSource, SOURCE_FIELDS, setup, uuids_as_bytes=True) as sources,
    ):

        def settled(state: IncidentState) -> None:
            incident_id = uuid_bytes(state.incident_id)
            incidents.write_row(incident_values(state, incident_id))
            for row in source_values(state, incident_id):
                sources.write_row(row)
            derived.add(state)

        for state in fold_logged(scan, settled).values():
            settled(state)
        incidents.finish()
        sources.finish()
    shares.rows_written()
    return derived


class DerivedRows:
    """The force, stance and ultimatum rows of a set of incidents, collected one incident
    at a time (a rebuild adds each as soon as it is folded, while it is in the cache)."""

    def __init__(self, names: CountryNames) -> None:
        self.forces = forces.ForceFacts(names)
        self.stances = stances.StanceGroups()
        self.ultimatums = ultimatums.UltimatumInputs()

    def add(self, state: IncidentState) -> None:
        self.forces.add(state)
        self.stances.add(state)
        self.ultimatums.add_ultimatum(state)
        if state.type in ultimatums.OUTCOME_TYPES:  # a summary: not the sources (memory)
            self.ultimatums.add_outcome(summary_of(state))

    @classmethod
    def merged(cls, parts: Sequence[DerivedRows]) -> DerivedRows:
        """One collector with the incidents of all `parts` (a rebuild's shares)."""
        whole = parts[0]
        for part in parts[1:]:
            whole.forces.merge(part.forces)
            whole.stances.merge(part.stances)
            whole.ultimatums.merge(part.ultimatums)
        return whole

    def write(
        self,
        window_days: int,
        half_life_days: float,
        write: Callable[[type[Model], Iterable[dict[str, Any]]], None],
    ) -> None:
        """Every row, handed to `write` table by table."""
        write(ForceLevel, (force_columns(r) for r in self.forces.rows(window_days)))
        write(Stance, (stance_columns(r) for r in self.stances.rows(half_life_days)))
        write(Ultimatum, (ultimatum_columns(r) for r in self.ultimatums.rows()))
