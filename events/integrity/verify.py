"""`verify_log`: recompute every event's chain hash from what its row holds, and every
seal's Merkle root from the events in its range. A row changed by anyone (a superuser
with the triggers disabled included) no longer matches its hash; a row removed breaks its
stream's versions or a seal; a hash rewritten to match breaks the seal over it.

Chains are checked stream by stream in version order (a stream's later event can have
the smaller transaction id, so read order is not version order); seals in read order.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from events.integrity.chain import canonical_encoding, link, parse_json
from events.integrity.merkle import merkle_root
from events.integrity.tables import LogCheck, Seal

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verification:
    events_checked: int
    seals_checked: int
    unsealed: int
    first_bad_position: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_position is None and not self.problem

    def describe(self) -> str:
        if self.ok:
            return (
                f"log verified: {self.events_checked} events and {self.seals_checked} seals "
                f"checked, {self.unsealed} events not sealed yet"
            )
        return f"log verification FAILED at position {self.first_bad_position}: {self.problem}"


def _rows(sql: str) -> Iterator[tuple[Any, ...]]:
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        while batch := cursor.fetchmany(2000):
            yield from batch


def _chain_sql() -> str:
    text = "::text" if connection.vendor == "postgresql" else ""
    return (
        "SELECT position, stream_id, version, event_id, type, schema_version, "
        f"data{text}, metadata{text}, occurred_on, chain_hash FROM events_event "
        "ORDER BY stream_id, version"
    )


def _check_chains() -> tuple[int, int | None, str]:
    """(events checked, smallest bad position, what is wrong with it)."""
    checked, bad, problem = 0, None, ""
    stream, version, previous = None, 0, None
    for position, stream_id, ver, event_id, type_, schema, data, meta, day, stored in _rows(
        _chain_sql()
    ):
        checked += 1
        if stream_id != stream:
            stream, version, previous = stream_id, 0, None
        wrong = ""
        if ver != version + 1:
            wrong = f"stream {stream_id!r} jumps from version {version} to {ver}"
        else:
            expected = link(
                previous,
                canonical_encoding(
                    stream_id=stream_id,
                    version=ver,
                    event_id=str(uuid.UUID(str(event_id))),
                    type=type_,
                    schema_version=schema,
                    data=parse_json(data),
                    metadata=parse_json(meta),
                    occurred_on=day,
                ),
            )
            if stored is None or bytes(stored) != expected:
                wrong = f"the hash of {stream_id!r} version {ver} does not match its content"
        if wrong and (bad is None or position < bad):
            bad, problem = position, wrong
        # Go on from the stored hash: one changed row is named once, not its successors.
        stream, version, previous = stream_id, ver, bytes(stored) if stored else None
    return checked, bad, problem


def _read_order_sql() -> str:
    if connection.vendor == "postgresql":
        return (
            "SELECT tx_id::text::bigint, position, chain_hash FROM events_event "
            "ORDER BY tx_id, position"
        )
    return "SELECT 0, position, chain_hash FROM events_event ORDER BY position"


def _check_seals() -> tuple[int, int, int | None, str]:
    """(seals checked, events after the last seal, bad position, what is wrong)."""
    seals = list(Seal.objects.order_by("number"))
    rows = _rows(_read_order_sql())
    pending: tuple[Any, ...] | None = next(rows, None)
    previous: Seal | None = None
    for checked, seal in enumerate(seals):
        start = (previous.tx_id, previous.position) if previous else (0, 0)
        if seal.number != checked + 1 or (seal.after_tx_id, seal.after_position) != start:
            return checked, 0, seal.position, f"seal {seal.number} does not follow its predecessor"
        leaves = [bytes(previous.root)] if previous else []
        while pending is not None and (pending[0], pending[1]) <= (seal.tx_id, seal.position):
            leaves.append(bytes(pending[2] or b""))
            pending = next(rows, None)
        count = len(leaves) - (1 if previous else 0)
        if count != seal.event_count or merkle_root(leaves) != bytes(seal.root):
            return (
                checked,
                0,
                seal.position,
                f"seal {seal.number} (up to position {seal.position}, {seal.event_count} "
                f"events) does not match the {count} events now in its range",
            )
        previous = seal
    unsealed = 0 if pending is None else 1 + sum(1 for _ in rows)
    return len(seals), unsealed, None, ""


def verify_log() -> Verification:
    events, bad, problem = _check_chains()
    if bad is not None:
        return Verification(events, 0, 0, bad, problem)
    seals, unsealed, bad, problem = _check_seals()
    return Verification(events, seals, unsealed, bad, problem)


def record_verification(result: Verification) -> LogCheck:
    """Keep the outcome for the dashboard; a failure is logged at ERROR."""
    if not result.ok:
        logger.error("%s", result.describe())
    return LogCheck.objects.create(
        checked_at=timezone.now(),
        ok=result.ok,
        events_checked=result.events_checked,
        seals_checked=result.seals_checked,
        first_bad_position=result.first_bad_position,
        message=result.describe(),
    )
