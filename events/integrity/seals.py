"""Seals: every so often (Celery beat, every minute) a Merkle root over the events read
since the previous seal, in read order (`store.read_all`, gap-free), with the previous
seal's root as the first leaf. A seal covers a range of read cursors that no later commit
can enter (read_all only returns events of transactions older than every one in flight),
so `verify` finds exactly the same events in it later, or the log was changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from events import store
from events.integrity.merkle import merkle_root
from events.integrity.tables import Seal

PAGE = 5000
MOST_PER_SEAL = 200_000  # a seal of a long unsealed log is made in several steps


@dataclass(frozen=True)
class Head:
    number: int
    position: int
    cursor: str
    event_count: int
    root: str
    sealed_at: datetime


def newest_seal() -> Head | None:
    seal = Seal.objects.order_by("-number").first()
    if seal is None:
        return None
    return Head(
        number=seal.number,
        position=seal.position,
        cursor=store.format_cursor(seal.tx_id, seal.position),
        event_count=seal.event_count,
        root=bytes(seal.root).hex(),
        sealed_at=seal.sealed_at,
    )


def _hashes(positions: list[int]) -> dict[int, bytes]:
    found: dict[int, bytes] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(positions), 1000):
            chunk = positions[start : start + 1000]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT position, chain_hash FROM events_event WHERE position IN ({marks})",
                chunk,
            )
            found.update((int(p), bytes(h or b"")) for p, h in cursor.fetchall())
    return found


def seal_log() -> Seal | None:
    """Seal what was read since the last seal; None when nothing new (or another process
    sealed the same range first: the numbers allow no fork)."""
    last = Seal.objects.order_by("-number").first()
    start = (last.tx_id, last.position) if last else (0, 0)
    read: list[tuple[int, int]] = []
    after = store.format_cursor(*start) if last else None
    while len(read) < MOST_PER_SEAL:
        page = store.read_all(after=after, limit=PAGE)
        if not page:
            break
        read += [(event.tx_id, event.position) for event in page]
        after = page[-1].cursor
    if not read:
        return None
    hashes = _hashes([position for _, position in read])
    leaves = [bytes(last.root)] if last else []
    leaves += [hashes.get(position, b"") for _, position in read]
    try:
        with transaction.atomic():
            return Seal.objects.create(
                number=(last.number if last else 0) + 1,
                after_tx_id=start[0],
                after_position=start[1],
                tx_id=read[-1][0],
                position=read[-1][1],
                event_count=len(read),
                root=merkle_root(leaves),
                sealed_at=timezone.now(),
            )
    except IntegrityError:
        return None
