"""The read models, one module per model, each declaring its table and its rules.

`incidents` is the incident rows every other one is derived from. A derived read model
(forces, stances, ultimatums) is a module here with a `RULE`
(events.projections.engine.derived.DerivedRule: its table, what a batch's touched
incidents make it recompute, its rebuild collector) and one line in `DERIVED`.
`stream_type_counts` is a projection of its own over every event (its own projector).
Importing this package registers every table with Django (events/models.py does).
"""

from __future__ import annotations

from events.projections.engine.derived import DerivedRule
from events.projections.rules import forces, stances, ultimatums
from events.projections.rules.forces import ForceLevel
from events.projections.rules.incidents import IncidentRow, IncidentSource
from events.projections.rules.stances import Stance
from events.projections.rules.stream_type_counts import StreamTypeCount
from events.projections.rules.ultimatums import Ultimatum

DERIVED: tuple[DerivedRule, ...] = (forces.RULE, stances.RULE, ultimatums.RULE)

__all__ = [
    "DERIVED",
    "ForceLevel",
    "IncidentRow",
    "IncidentSource",
    "Stance",
    "StreamTypeCount",
    "Ultimatum",
]
