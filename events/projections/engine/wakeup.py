"""Waking the projector after an append, and after a registry edit.

Writers call `request_catch_up()` inside (or outside) their transaction. The wake-up is
sent only after the commit, because the projector can only see committed events; with
`CELERY_TASK_ALWAYS_EAGER` (the embedded default) the projections are brought up to date
inline, right after the commit. A failed wake-up never fails the writer: the events are
safe in the log and the periodic catch-up (or the next wake-up) projects them.

The Celery tasks (events/tasks.py) run the engine, so the engine does not import them:
the tasks module registers how to send each one (`register`), and the app imports it
when it is ready (events/apps.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)

Send = Callable[[], object]
_send: dict[str, Send] = {}


def register(*, catch_up: Send, refresh_forces: Send) -> None:
    """How to queue the projector's catch-up and the force rows' refresh."""
    _send.update(catch_up=catch_up, refresh_forces=refresh_forces)


def _queue(task: str) -> None:
    send = _send.get(task)
    if send is None:
        raise RuntimeError(f"no task registered for {task!r}: events.tasks was not imported")
    send()


def request_catch_up() -> None:
    """Bring the projections up to date once the current transaction commits."""
    transaction.on_commit(_wake, robust=True)


def _wake() -> None:
    try:
        _queue("catch_up")
    except Exception:  # broker down or projector error: the periodic catch-up retries
        logger.exception("projection catch-up could not run now; the periodic one will")


def request_force_refresh() -> None:
    """Recompute the force rows once the current transaction (a registry edit) commits.

    If it cannot run (broker down), the rows stay as they were until the next registry
    edit or `manage.py projections rebuild`; the failure is logged.
    """
    transaction.on_commit(_refresh_forces, robust=True)


def _refresh_forces() -> None:
    try:
        _queue("refresh_forces")
    except Exception:
        logger.exception("force rows could not be recomputed after a registry edit")
