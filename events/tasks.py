"""Celery tasks of the events app: thin wrappers around the projector."""

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
