"""Force levels: the forces read model, filtered and paged."""

from __future__ import annotations

from typing import Any

from events.domain.incident_state import IncidentState
from events.projections.engine.config import (
    country_level_names,
    force_window_days,
)
from events.projections.rules import (
    ForceLevel,
    forces,
)
from events.selectors.common import (
    Page,
    TimePoint,
    count_matching,
    from_tables_or_fold,
    window,
)


def forces_page(
    point: TimePoint,
    *,
    actor: str | None = None,
    country: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> Page:
    """Force rows in key order (actor, country, place, unit), filtered and paged."""
    country = country.upper() if country else None

    def fold(states: list[IncidentState]) -> list[dict[str, Any]]:
        rows = forces.force_rows(states, country_level_names(), force_window_days())
        return [
            r.to_json()
            for r in rows
            if (actor is None or r.actor == actor) and (country is None or r.country == country)
        ]

    def tables() -> Page:
        matching = ForceLevel.objects.filter(
            **{k: v for k, v in {"actor": actor, "country": country}.items() if v is not None}
        ).order_by("actor", "country", "place", "unit")
        # `data` is the folded row exactly as `ForceRow.to_json()` wrote it.
        page = list(matching.values_list("data", flat=True)[window(offset, limit)])
        return Page(page, count_matching(matching, offset, limit, len(page)), offset)

    return from_tables_or_fold(point, tables=tables, fold=fold, offset=offset, limit=limit)
