"""Waiting until the projections have applied every committed event of the log."""

from __future__ import annotations

import time


def project_everything(timeout: float = 120.0) -> None:
    """Run the projectors until each has applied every committed event.

    One catch-up is not always enough on PostgreSQL: `read_all` waits for every older
    transaction still running in the whole cluster (and any whose database it cannot
    tell) to end before it hands out newer events, so while other suites hold
    transactions open a projector can lag for a moment; it never skips. Waiting for
    them is what production's periodic catch-up does too.
    """
    from events.projections.engine.projectors import PROJECTORS, catch_up_all
    from events.projections.engine.status import lag_of

    deadline = time.monotonic() + timeout
    while True:
        catch_up_all()
        behind = {name: lag_of(name).behind for name in PROJECTORS}
        if not any(behind.values()):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"projections still behind after {timeout}s: {behind}")
        time.sleep(0.05)
