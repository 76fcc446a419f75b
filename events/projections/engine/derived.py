"""What a derived read model declares (events/projections/rules/): the shape the incident
projector drives every one of them through.

A derived read model is a function of incident states. It declares:
- `table`: its model, rows keyed by what the rule groups incidents by;
- `refresh(touched)`: given the incident states a batch touched (before and after the
  change), delete the rows of the keys they touch and write them again from the incident
  rows of the same transaction;
- `collector(context)`: a rebuild's collector, fed every incident once (`add`), merged
  across the rebuild's processes (`merge`) and asked for its rows (`columns`).
The rules package lists them in `DERIVED`; nothing else needs to know one was added.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, Self

from django.db.models import Model

from events.domain.incident_state import IncidentState
from events.projections.engine.config import RuleContext


class Collector(Protocol):
    def add(self, state: IncidentState) -> None: ...

    def merge(self, other: Self) -> None: ...

    def columns(self, context: RuleContext) -> Iterable[dict[str, Any]]: ...


@dataclass(frozen=True)
class DerivedRule:
    table: type[Model]
    refresh: Callable[[Sequence[IncidentState]], None]
    collector: Callable[[RuleContext], Collector]
