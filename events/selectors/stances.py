"""Stances: the stances read model, filtered and paged; scores decayed when read."""

from __future__ import annotations

from typing import Any

from events.api.representations import stance_json
from events.domain.incident_state import IncidentState
from events.projections.engine.config import (
    stance_half_life_days,
)
from events.projections.rules import (
    Stance,
    stances,
)
from events.selectors.common import (
    Page,
    TimePoint,
    count_matching,
    from_tables_or_fold,
    window,
)


def stances_page(
    point: TimePoint,
    *,
    actor: str | None = None,
    target: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> Page:
    """Stances of ordered pairs in (actor, target) order, filtered and paged; scores are
    decayed to the time point's day when read."""

    def fold(states: list[IncidentState]) -> list[dict[str, Any]]:
        return [
            stance_json(r, point)
            for r in stances.stance_rows(states, stance_half_life_days())
            if (actor is None or r.actor == actor) and (target is None or r.target == target)
        ]

    def tables() -> Page:
        matching = Stance.objects.filter(
            **{k: v for k, v in {"actor": actor, "target": target}.items() if v is not None}
        ).order_by("actor", "target")
        page = [
            stance_json(stances.StanceRow(**data), point)
            for data in matching.values_list("data", flat=True)[window(offset, limit)]
        ]
        return Page(page, count_matching(matching, offset, limit, len(page)), offset)

    return from_tables_or_fold(point, tables=tables, fold=fold, offset=offset, limit=limit)
