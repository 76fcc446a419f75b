"""Ultimatums and what became of them (pure functions of incident states).

An ultimatum's status: `complied` when the addressee withdrew between the ultimatum and
its deadline, `escalated` when an attack between the two followed it (whichever came
first decides), otherwise `open` until the deadline and `expired` after it.

The read model in one module: the pure rules first, then its table, `refresh` (the keys
the incidents a batch touched decide, recomputed from the incident rows), the rebuild's
`collector` and `RULE`, which events/projections/rules/__init__.py lists in `DERIVED`.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from django.db import models
from django.db.models import Q

from events.domain.incident_state import (
    Happening,
    IncidentState,
    order_key,
    parse_instant,
    source_summary,
    summary_of,
)
from events.projections.engine.bulk import write_rows
from events.projections.engine.config import RuleContext
from events.projections.engine.derived import DerivedRule
from events.projections.rules.incidents import IncidentRow, any_of, states_in, summaries_of

OPEN, EXPIRED, COMPLIED, ESCALATED = "open", "expired", "complied", "escalated"
STATUSES = (OPEN, EXPIRED, COMPLIED, ESCALATED)
# Incident types an ultimatum's outcome depends on: recompute when one of them changes.
RELEVANT_TYPES = ("ultimatum", "withdraw", "attack")
OUTCOME_TYPES = ("withdraw", "attack")


@dataclass
class UltimatumRow:
    incident_id: str
    issuer: str
    addressee: str
    demand: str
    issued_on: str
    deadline: str | None
    resolution: str | None = None
    resolved_by: str | None = None
    resolved_on: str | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)

    def status(self, at: datetime) -> str:
        if self.resolution:
            return self.resolution
        if self.deadline and parse_instant(self.deadline) < at:
            return EXPIRED
        return OPEN

    def to_json(self) -> dict[str, Any]:
        # Shallow (not `asdict`, which deep-copies every estimate and source): the values
        # are JSON data built for this row alone.
        return {f.name: getattr(self, f.name) for f in fields(self)}


def is_ultimatum(state: IncidentState) -> bool:
    return state.type == "ultimatum" and state.happened and bool(state.actor and state.target)


def _outcome(ultimatum: IncidentState, other: Happening) -> str | None:
    if not other.happened or other.incident_id == ultimatum.incident_id:
        return None
    issuer, addressee = ultimatum.actor, ultimatum.target
    if other.world_date < ultimatum.world_date:
        return None
    deadline = ultimatum.deadline
    in_time = deadline is None or other.world_date <= deadline.date()
    if other.type == "withdraw" and other.actor == addressee and in_time:
        return COMPLIED
    if other.type == "attack" and {other.actor, other.target} == {issuer, addressee}:
        return ESCALATED
    return None


def ultimatum_row(ultimatum: IncidentState, others: Iterable[Happening]) -> UltimatumRow:
    """The ultimatum and what became of it: the earliest outcome among `others` decides."""
    return _decided(ultimatum, sorted(others, key=order_key))


def _decided(ultimatum: IncidentState, ordered: Iterable[Happening]) -> UltimatumRow:
    """`ultimatum_row` over `others` already in `order_key` order (read only up to the
    first outcome)."""
    sources = [source_summary(ultimatum, s) for s in ultimatum.active_sources]
    row = UltimatumRow(
        incident_id=ultimatum.incident_id,
        issuer=str(ultimatum.actor),
        addressee=str(ultimatum.target),
        demand=sources[0]["evidence"] if sources else "",
        issued_on=ultimatum.world_date.isoformat(),
        deadline=ultimatum.fields.get("deadline"),
        sources=sources,
    )
    for other in ordered:
        outcome = _outcome(ultimatum, other)
        if outcome is not None:
            row.resolution, row.resolved_by = outcome, other.incident_id
            row.resolved_on = other.world_date.isoformat()
            break
    return row


def ultimatum_rows(states: Iterable[IncidentState]) -> list[UltimatumRow]:
    """Every ultimatum among the incidents, with its outcome among the same incidents."""
    collected = UltimatumInputs()
    for state in states:
        collected.add_ultimatum(state)
        collected.add_outcome(state)
    return collected.rows()


def resolve(candidates: Iterable[IncidentState], others: Iterable[Happening]) -> list[UltimatumRow]:
    """The rows of the `candidates` (ultimatums), decided among `others`."""
    collected = UltimatumInputs()
    for candidate in candidates:
        collected.candidates.append(candidate)
    for other in others:
        collected.add_outcome(other)
    return collected.rows()


class UltimatumInputs:
    """Ultimatums and their possible outcomes, collected one incident at a time (see
    forces.ForceFacts), then decided."""

    def __init__(self) -> None:
        self.candidates: list[IncidentState] = []
        # The possible outcomes by who they involve and by date (sorted in `rows`), so each
        # ultimatum only looks at its own parties' later withdrawals and attacks. Of one
        # day's, only the first in `order_key` order can decide an ultimatum (the first on
        # or after its date decides; a withdrawal after the deadline, and every later one,
        # does not), and only those that happened: the rest are not kept.
        self.outcomes: dict[tuple[str, frozenset[str | None]], dict[date, Happening]] = defaultdict(
            dict
        )

    def add(self, state: IncidentState) -> None:
        self.add_ultimatum(state)
        if state.type in OUTCOME_TYPES:  # a summary: not the sources (memory)
            self.add_outcome(summary_of(state))

    def columns(self, context: RuleContext) -> Iterator[dict[str, Any]]:
        return (ultimatum_columns(r) for r in self.rows())

    def add_ultimatum(self, state: IncidentState) -> None:
        if is_ultimatum(state):
            self.candidates.append(state)

    def add_outcome(self, other: Happening) -> None:
        kind = other.type
        if kind == "withdraw":
            key = ("withdraw", frozenset((other.actor,)))
        elif kind == "attack":
            key = ("attack", frozenset((other.actor, other.target)))
        else:
            return
        if other.happened:
            self._keep(self.outcomes[key], other)

    @staticmethod
    def _keep(by_date: dict[date, Happening], other: Happening) -> None:
        first = by_date.get(other.world_date)
        if first is None or other.incident_id < first.incident_id:
            by_date[other.world_date] = other

    def merge(self, other: UltimatumInputs) -> None:
        """Add another collector's ultimatums and outcomes (`rows` sorts both)."""
        self.candidates.extend(other.candidates)
        for key, by_date in other.outcomes.items():
            mine = self.outcomes[key]
            for outcome in by_date.values():
                self._keep(mine, outcome)

    def rows(self) -> list[UltimatumRow]:
        outcomes = {
            key: sorted(by_date.values(), key=order_key) for key, by_date in self.outcomes.items()
        }
        rows = [
            _decided(
                u,
                # Both lists are in order: merged lazily, read only up to the first outcome
                # (a hot pair has thousands of later attacks; the first one decides).
                heapq.merge(
                    _from(outcomes.get(("withdraw", frozenset((u.target,))), []), u),
                    _from(outcomes.get(("attack", frozenset((u.actor, u.target))), []), u),
                    key=order_key,
                ),
            )
            for u in self.candidates
        ]
        return sorted(rows, key=lambda r: (r.issued_on, r.incident_id))


def _from(ordered: list[Happening], ultimatum: IncidentState) -> Iterator[Happening]:
    """The incidents of a date-ordered list that happened on or after the ultimatum."""
    start = bisect_left(ordered, ultimatum.world_date, key=lambda s: s.world_date)
    return (ordered[i] for i in range(start, len(ordered)))


def status_at(as_of: date | None, now: datetime) -> datetime:
    """The instant an as_of date stands for: the end of that day, never later than now."""
    if as_of is None:
        return now
    end_of_day = datetime.combine(as_of, datetime.max.time(), tzinfo=now.tzinfo)
    return min(end_of_day, now)


# --- the table and how the projector keeps it -------------------------------------


class Ultimatum(models.Model):
    """An `ultimatums.UltimatumRow` (in `data`); open/expired is decided at read time."""

    incident_id = models.UUIDField(primary_key=True)
    issuer = models.CharField(max_length=120, db_index=True)
    addressee = models.CharField(max_length=120, db_index=True)
    data = models.JSONField()

    class Meta:
        db_table = "events_proj_ultimatum"
        ordering = ["incident_id"]

    def __str__(self) -> str:
        return f"{self.issuer}->{self.addressee}"


def ultimatum_columns(row: UltimatumRow) -> dict[str, Any]:
    return {
        "incident_id": row.incident_id,
        "issuer": row.issuer,
        "addressee": row.addressee,
        "data": row.to_json(),
    }


def refresh(touched: Sequence[IncidentState]) -> None:
    """Recompute the ultimatums a touched incident can decide: its own, those between the
    two sides of an attack, and those addressed to whoever withdrew."""
    if not any(s.type in RELEVANT_TYPES for s in touched):
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
            for r in resolve([u for u in recompute if is_ultimatum(u)], outcomes)
        ),
    )


def collector(context: RuleContext) -> UltimatumInputs:
    return UltimatumInputs()


RULE = DerivedRule(table=Ultimatum, refresh=refresh, collector=collector)
