"""Celery tasks of the events app: thin wrappers around the projector.

The engine wakes them through `wakeup.register` (below), not by importing this module.
"""

from __future__ import annotations

from celery import shared_task

from events.projections.engine import wakeup
from events.projections.engine.incidents import IncidentProjector
from events.projections.engine.projectors import catch_up_all


@shared_task(name="events.tasks.catch_up_projections", ignore_result=True)
def catch_up_projections() -> int:
    """Project every event committed since the checkpoints; returns how many were applied."""
    return catch_up_all()


@shared_task(name="events.tasks.refresh_force_levels", ignore_result=True)
def refresh_force_levels() -> int:
    """Recompute the force rows after a registry edit (see IncidentProjector.refresh_forces)."""
    return IncidentProjector().refresh_forces()


wakeup.register(catch_up=catch_up_projections.delay, refresh_forces=refresh_force_levels.delay)
