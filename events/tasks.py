"""Celery tasks of the events app: thin wrappers around the projector and the seals.

The engine wakes the projector's through `wakeup.register` (below), not by importing this
module; beat sends the seals' (tracker/celery.py).
"""

from __future__ import annotations

from celery import shared_task

from events.integrity import seals, verify
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


@shared_task(name="events.tasks.seal_log", ignore_result=True)
def seal_log() -> int:
    """Seal the events read since the last seal (beat: every minute); returns how many."""
    made = seals.seal_log()
    return made.event_count if made else 0


@shared_task(name="events.tasks.verify_log", ignore_result=True)
def verify_log() -> bool:
    """Recompute the whole log's hashes and seals (beat: daily); a failure is logged at
    ERROR and shown on the dashboard."""
    return verify.record_verification(verify.verify_log()).ok


wakeup.register(catch_up=catch_up_projections.delay, refresh_forces=refresh_force_levels.delay)
