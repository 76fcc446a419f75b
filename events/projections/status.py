"""How far behind the log each projection is."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from events import store
from events.models import Checkpoint


@dataclass(frozen=True)
class Lag:
    name: str
    cursor: str
    events_seen: int
    behind: int  # committed events after the checkpoint


def events_after(cursor: str) -> int:
    """Committed events the log holds after `cursor` (in read order)."""
    tx_id, position = store.parse_cursor(cursor or None)
    with connection.cursor() as db:
        if connection.vendor == "postgresql":
            db.execute(
                "SELECT count(*) FROM events_event WHERE (tx_id, position) > (%s::text::xid8, %s)",
                [tx_id, position],
            )
        else:
            db.execute("SELECT count(*) FROM events_event WHERE position > %s", [position])
        row = db.fetchone()
    return int(row[0]) if row else 0


def lag_of(name: str) -> Lag:
    checkpoint = Checkpoint.objects.filter(name=name).first()
    cursor = checkpoint.cursor if checkpoint else ""
    seen = checkpoint.events_seen if checkpoint else 0
    return Lag(name=name, cursor=cursor, events_seen=seen, behind=events_after(cursor))
