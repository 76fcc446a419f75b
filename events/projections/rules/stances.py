"""Stances: how each actor behaves towards another (pure functions of incident states).

Per ordered pair (actor -> target), Goldstein-like weights per incident type, each
decaying with its age (half-life in days), summed and clamped to [-10, +10]. The row keeps
the sum at its newest incident's date, so the score at any later date is one
multiplication: the table stays right as time passes without being rewritten.

The read model in one module: the pure rules first, then its table, `refresh` (the keys
the incidents a batch touched decide, recomputed from the incident rows), the rebuild's
`collector` and `RULE`, which events/projections/rules/__init__.py lists in `DERIVED`.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q

from events.domain.incident_state import Happening, IncidentState
from events.projections.engine.bulk import write_rows
from events.projections.engine.config import RuleContext, stance_half_life_days
from events.projections.engine.derived import DerivedRule
from events.projections.rules.incidents import IncidentRow, any_of, summaries_of

WEIGHTS = {
    "attack": -10.0,
    "ultimatum": -7.0,
    "threaten": -7.0,
    "demand": -5.0,
    "condemn": -2.0,
    "deny": -2.0,
    "support": 5.0,
    "agree": 8.0,
}
SCORE_LIMIT = 10.0
LATEST_KEPT = 5

Pair = tuple[str, str]


def stance_pair(state: Happening) -> Pair | None:
    if state.type not in WEIGHTS or not state.actor or not state.target:
        return None
    if state.actor == state.target:
        return None
    return (state.actor, state.target)


def decay(age_days: float, half_life_days: float) -> float:
    return float(0.5 ** (max(0.0, age_days) / half_life_days))


@dataclass
class StanceRow:
    actor: str
    target: str
    reference_date: str  # the newest incident's date: `raw` is the decayed sum at that date
    raw: float
    counts: dict[str, int] = field(default_factory=dict)
    latest: list[dict[str, Any]] = field(default_factory=list)
    incident_count: int = 0

    @property
    def key(self) -> Pair:
        return (self.actor, self.target)

    def score(self, at: date, half_life_days: float) -> float:
        age = (at - date.fromisoformat(self.reference_date)).days
        value = self.raw * decay(age, half_life_days)
        return round(max(-SCORE_LIMIT, min(SCORE_LIMIT, value)), 3)

    def to_json(self) -> dict[str, Any]:
        # Shallow (not `asdict`, which deep-copies every estimate and source): the values
        # are JSON data built for this row alone.
        return {f.name: getattr(self, f.name) for f in fields(self)}


# What a stance reads of an incident: (world_date, incident_id, type). Sorted as tuples,
# they are in `order_key` order (ids are unique), with no key function to call.
Mark = tuple[date, str, str]


def _mark(state: Happening) -> Mark:
    return (state.world_date, state.incident_id, state.type)


@dataclass
class PairMarks:
    """What a pair's row needs of its incidents, kept as they are added, in any order: the
    weight per date (the same decay applies to a whole day, and whole-number weights add
    up exactly, so the sum does not depend on the order they came in), the count per type,
    and the newest few."""

    weights: dict[date, float] = field(default_factory=lambda: defaultdict(float))
    counts: Counter[str] = field(default_factory=Counter)
    newest: list[Mark] = field(default_factory=list)  # a min-heap of at most LATEST_KEPT

    def add(self, mark: Mark) -> None:
        on, _, kind = mark
        self.weights[on] += WEIGHTS[kind]
        self.counts[kind] += 1
        self._keep_if_newest(mark)

    def merge(self, other: PairMarks) -> None:
        for on, weight in other.weights.items():
            self.weights[on] += weight
        self.counts.update(other.counts)
        for mark in other.newest:
            self._keep_if_newest(mark)

    def _keep_if_newest(self, mark: Mark) -> None:
        if len(self.newest) < LATEST_KEPT:
            heapq.heappush(self.newest, mark)
        elif mark > self.newest[0]:
            heapq.heapreplace(self.newest, mark)


def stance_row(pair: Pair, marks: PairMarks, half_life_days: float) -> StanceRow:
    reference = max(marks.weights)
    raw = sum(
        marks.weights[on] * decay((reference - on).days, half_life_days)
        for on in sorted(marks.weights)
    )
    latest = [
        {
            "incident_id": incident_id,
            "type": kind,
            "on": on.isoformat(),
            "weight": WEIGHTS[kind],
        }
        for on, incident_id, kind in sorted(marks.newest, reverse=True)
    ]
    return StanceRow(
        actor=pair[0],
        target=pair[1],
        reference_date=reference.isoformat(),
        raw=raw,
        counts=dict(sorted(marks.counts.items())),
        latest=latest,
        incident_count=sum(marks.counts.values()),
    )


class StanceGroups:
    """The incidents that happened, grouped by pair one at a time (see forces.ForceFacts)."""

    def __init__(self) -> None:
        self.by_pair: dict[Pair, PairMarks] = defaultdict(PairMarks)

    def add(self, state: Happening) -> None:
        pair = stance_pair(state)
        if pair and state.happened:
            self.by_pair[pair].add(_mark(state))

    def merge(self, other: StanceGroups) -> None:
        """Add another collector's incidents (a rebuild's other share of the log)."""
        for pair, marks in other.by_pair.items():
            self.by_pair[pair].merge(marks)

    def columns(self, context: RuleContext) -> Iterator[dict[str, Any]]:
        return (stance_columns(r) for r in self.rows(context.half_life_days))

    def rows(self, half_life_days: float) -> list[StanceRow]:
        return [
            stance_row(pair, self.by_pair[pair], half_life_days) for pair in sorted(self.by_pair)
        ]


def stance_rows(states: Iterable[Happening], half_life_days: float) -> list[StanceRow]:
    """Every pair's stance from the incidents that happened (denied/planned ones did not)."""
    groups = StanceGroups()
    for state in states:
        groups.add(state)
    return groups.rows(half_life_days)


# --- the table and how the projector keeps it -------------------------------------


class Stance(models.Model):
    """A `stances.StanceRow` (in `data`) for one ordered pair of actors."""

    actor = models.CharField(max_length=120)
    target = models.CharField(max_length=120, db_index=True)
    data = models.JSONField()

    class Meta:
        db_table = "events_proj_stance"
        ordering = ["actor", "target"]
        constraints = [models.UniqueConstraint(fields=["actor", "target"], name="stance_pair")]

    def __str__(self) -> str:
        return f"{self.actor}->{self.target}"


def stance_columns(row: StanceRow) -> dict[str, Any]:
    return {"actor": row.actor, "target": row.target, "data": row.to_json()}


def refresh(touched: Sequence[IncidentState]) -> None:
    pairs = {pair for s in touched if (pair := stance_pair(s))}
    if not pairs:
        return
    same_pair = any_of(Q(actor=a, target=t) for a, t in pairs)
    Stance.objects.filter(same_pair).delete()
    rows = IncidentRow.objects.filter(same_pair, type__in=list(WEIGHTS))
    write_rows(
        Stance,
        (stance_columns(r) for r in stance_rows(summaries_of(rows), stance_half_life_days())),
    )


def collector(context: RuleContext) -> StanceGroups:
    return StanceGroups()


RULE = DerivedRule(table=Stance, refresh=refresh, collector=collector)
