"""Waking the projector after an append, and after a registry edit.

Writers call `request_catch_up()` inside (or outside) their transaction. The wake-up is
sent only after the commit, because the projector can only see committed events; with
`CELERY_TASK_ALWAYS_EAGER` (the embedded default) the projections are brought up to date
inline, right after the commit. A failed wake-up never fails the writer: the events are
safe in the log and the periodic catch-up (or the next wake-up) projects them.
"""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def request_catch_up() -> None:
    """Bring the projections up to date once the current transaction commits."""
    transaction.on_commit(_wake, robust=True)


def _wake() -> None:
    from events.tasks import catch_up_projections

    try:
        catch_up_projections.delay()
    except Exception:  # broker down or projector error: the periodic catch-up retries
        logger.exception("projection catch-up could not run now; the periodic one will")


def request_force_refresh() -> None:
    """Recompute the force rows once the current transaction (a registry edit) commits.

    If it cannot run (broker down), the rows stay as they were until the next registry
    edit or `manage.py projections rebuild`; the failure is logged.
    """
    transaction.on_commit(_refresh_forces, robust=True)


def _refresh_forces() -> None:
    from events.tasks import refresh_force_levels

    try:
        refresh_force_levels.delay()
    except Exception:
        logger.exception("force rows could not be recomputed after a registry edit")
