"""Celery tasks of the events app: thin wrappers around the projector."""

from __future__ import annotations

from celery import shared_task

from tracker.celery import app

# A wake-up can be lost (broker down, worker restart): this sweep catches up regardless.
CATCH_UP_EVERY_SECONDS = 30.0
app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "events-projections-catch-up": {
        "task": "events.tasks.catch_up_projections",
        "schedule": CATCH_UP_EVERY_SECONDS,
    },
}


@shared_task(name="events.tasks.catch_up_projections", ignore_result=True)
def catch_up_projections() -> int:
    """Project every event committed since the checkpoints; returns how many were applied."""
    from events.projections.registry import catch_up_all

    return catch_up_all()
