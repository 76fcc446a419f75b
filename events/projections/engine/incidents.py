"""The incidents projector: the incident rows, and every derived read model
(events.projections.rules.DERIVED) recomputed from them, all under one checkpoint.

A derived read model is a function of incident states, so each is recomputed by its rule
for the keys the batch touched (before and after the change), from the incident rows
this same transaction just wrote: all read models move together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Model

from events import store
from events.domain.fold import fold_incidents, fold_logged
from events.domain.incident_state import IncidentState
from events.domain.payloads import STREAM_PREFIX
from events.projections.engine import shares
from events.projections.engine.bulk import (
    StreamingCopy,
    in_background,
    side_connection_setup,
    uuid_bytes,
    write_rows,
)
from events.projections.engine.config import RuleContext, rule_context
from events.projections.engine.derived import Collector
from events.projections.engine.log_scan import LogScan
from events.projections.engine.projector import LogReplay, Projector
from events.projections.rules import DERIVED, forces
from events.projections.rules.incidents import (
    INCIDENT_FIELDS,
    SOURCE_FIELDS,
    IncidentRow,
    IncidentSource,
    incident_columns,
    incident_values,
    save_incidents,
    source_columns,
    source_values,
    states_in,
)


class IncidentProjector(Projector):
    name = "incidents"
    tables = (IncidentSource, IncidentRow, *(rule.table for rule in DERIVED))

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
        save_incidents(changed)
        touched = [*before.values(), *changed]
        for rule in DERIVED:
            rule.refresh(touched)

    def refresh_forces(self) -> int:
        """Recompute every force row from the incident rows, with the registry as it is
        now (which place names mean a whole country); return how many rows there are.

        Force keys are the only part of these read models that depends on the registry,
        so a registry edit needs this, not a replay of the log. The checkpoint is locked,
        as a batch does, so no batch writes force rows in between.
        """
        with transaction.atomic():
            self._locked_checkpoint()
            return forces.refresh_all()

    def build(self, replay: LogReplay) -> None:
        """A rebuild folds the whole log in memory and writes every table in bulk."""
        context = rule_context()
        if connection.vendor != "postgresql":
            derived = DerivedRows(context)
            states = list(fold_logged(replay.scan()).values())
            write_rows(IncidentRow, (incident_columns(s) for s in states))
            write_rows(IncidentSource, source_columns(states))
            for state in states:
                derived.add(state)
            derived.write(write_rows)
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

            parts = replay.in_shares(_fold_share, _Share(setup, context), index_the_rows)
            DerivedRows.merged(parts).write(write_rows)


@dataclass(frozen=True)
class _Share:
    """What each process of a rebuild needs from the one that started it."""

    setup: tuple[str, ...]  # bulk.side_connection_setup(): where the fresh tables are
    context: RuleContext


def _fold_share(scan: LogScan, share: _Share) -> DerivedRows:
    """Fold one share of the log (events.projections.engine.shares) and write its incidents.

    Each incident's rows go to the server (incidents on one connection, sources on
    another) as soon as the scan has folded its stream's last event, while its state is
    still in the CPU's caches, and the state is dropped: the server stores rows while
    Python reads and folds the rest. The derived rows need every incident: their inputs
    are collected and handed back.
    """
    derived = DerivedRows(share.context)
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
    """The rows of every derived read model of a set of incidents, collected one incident
    at a time (a rebuild adds each as soon as it is folded, while it is in the cache)."""

    def __init__(self, context: RuleContext) -> None:
        self.context = context
        self.collectors: list[Collector] = [rule.collector(context) for rule in DERIVED]

    def add(self, state: IncidentState) -> None:
        for collector in self.collectors:
            collector.add(state)

    @classmethod
    def merged(cls, parts: Sequence[DerivedRows]) -> DerivedRows:
        """One collector with the incidents of all `parts` (a rebuild's shares)."""
        whole = parts[0]
        for part in parts[1:]:
            for mine, theirs in zip(whole.collectors, part.collectors, strict=True):
                mine.merge(theirs)
        return whole

    def write(self, write: Callable[[type[Model], Iterable[dict[str, Any]]], None]) -> None:
        """Every row, handed to `write` table by table."""
        for rule, collector in zip(DERIVED, self.collectors, strict=True):
            write(rule.table, collector.columns(self.context))
