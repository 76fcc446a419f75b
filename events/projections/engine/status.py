"""How far behind the log each projection is."""

from __future__ import annotations

from dataclasses import dataclass

from events import store
from events.models import Checkpoint


@dataclass(frozen=True)
class Lag:
    name: str
    cursor: str
    events_seen: int
    behind: int  # committed events after the checkpoint


def lag_of(name: str) -> Lag:
    checkpoint = Checkpoint.objects.filter(name=name).first()
    cursor = checkpoint.cursor if checkpoint else ""
    seen = checkpoint.events_seen if checkpoint else 0
    return Lag(name=name, cursor=cursor, events_seen=seen, behind=store.events_after(cursor))
