"""Celery tasks of the events app: thin wrappers around the projector and the seals."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="events.tasks.catch_up_projections", ignore_result=True)
def catch_up_projections() -> int:
    """Project every event committed since the checkpoints; returns how many were applied."""
    from events.projections.registry import catch_up_all

    return catch_up_all()


@shared_task(name="events.tasks.refresh_force_levels", ignore_result=True)
def refresh_force_levels() -> int:
    """Recompute the force rows after a registry edit (see IncidentProjector.refresh_forces)."""
    from events.projections.incidents import IncidentProjector

    return IncidentProjector().refresh_forces()


@shared_task(name="events.tasks.seal_log", ignore_result=True)
def seal_log() -> int:
    """Seal the events read since the last seal (beat: every minute); returns how many."""
    from events.integrity.seals import seal_log as seal

    made = seal()
    return made.event_count if made else 0


@shared_task(name="events.tasks.verify_log", ignore_result=True)
def verify_log() -> bool:
    """Recompute the whole log's hashes and seals (beat: daily); a failure is logged at
    ERROR and shown on the dashboard."""
    from events.integrity.verify import record_verification
    from events.integrity.verify import verify_log as verify

    return record_verification(verify()).ok
