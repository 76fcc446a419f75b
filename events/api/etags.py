"""ETag versions of the state answers: what an answer depends on besides the request."""

from __future__ import annotations

from django.utils import timezone

from events import store
from events.models import Checkpoint
from events.selectors.common import TimePoint

# How often an answer can change with no new event: ultimatums expire (checked to the
# minute), stance scores decay (by the day); incidents and forces move only with the log.
STILL = ""
DAILY = "%Y-%m-%d"
EVERY_MINUTE = "%Y-%m-%dT%H:%M"


def state_version(point: TimePoint, ticks: str = EVERY_MINUTE) -> str:
    """Changes whenever a state answer at this time point may: the projections'
    checkpoints (the tables move only with them), the log head for answers folded from the
    log, and the clock at the answer's own granularity (`ticks`)."""
    checkpoints = sorted(Checkpoint.objects.values_list("name", "cursor"))
    head = store.head_cursor() if point.from_log else ""
    clock = timezone.now().strftime(ticks) if ticks else ""
    return f"{head}|{checkpoints}|{clock}"
