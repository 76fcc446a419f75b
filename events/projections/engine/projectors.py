"""Every projection by name, in the order the catch-up runs them."""

from __future__ import annotations

from events.projections.engine.incidents import IncidentProjector
from events.projections.engine.projector import Projector
from events.projections.rules.stream_type_counts import StreamTypeCountProjector

PROJECTORS: dict[str, Projector] = {
    p.name: p for p in (StreamTypeCountProjector(), IncidentProjector())
}


def catch_up_all() -> int:
    return sum(projector.catch_up() for projector in PROJECTORS.values())
