"""The hash chain: each event's `chain_hash` is

    sha256(previous event's chain_hash || UTF-8 of the canonical encoding)

where the previous event is the one before it in its stream (32 zero bytes for version 1)
and the canonical encoding is the JSON array

    [stream_id, version, event_id, type, schema_version, data, metadata, occurred_on]

written as PostgreSQL writes `jsonb` as text: object keys ordered by length then bytes,
", " and ": " between items, numbers in decimal notation without exponent, strings
escaped as JSON, non-ASCII kept. On PostgreSQL the database computes it (the append
statement, or a trigger for any other insert; migration 0011); on SQLite the store calls
`chain_hashes` below. `verify` recomputes it here, in Python, from
what the rows hold.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

GENESIS = bytes(32)


def canonical_json(value: Any) -> str:
    """`value` as PostgreSQL prints the equivalent jsonb."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number(Decimal(repr(value)))
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (len(k.encode()), k.encode()))
        items = (f"{json.dumps(k, ensure_ascii=False)}: {canonical_json(value[k])}" for k in keys)
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(canonical_json(v) for v in value) + "]"
    raise TypeError(f"no canonical JSON for {type(value).__name__}")


def _number(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError(f"JSON has no {value}")
    if value.is_zero():  # PostgreSQL's numeric has no negative zero
        value = abs(value)
    return format(value, "f")


def parse_json(text: str | bytes) -> Any:
    """JSON text as stored, numbers kept exact (Decimal) so they print back unchanged."""
    return json.loads(text, parse_float=Decimal)


def canonical_encoding(
    *,
    stream_id: str,
    version: int,
    event_id: str,
    type: str,
    schema_version: int,
    data: Any,
    metadata: Any,
    occurred_on: date | str | None,
) -> bytes:
    day = occurred_on.isoformat() if isinstance(occurred_on, date) else occurred_on
    fields = [stream_id, version, event_id, type, schema_version, data, metadata, day]
    return canonical_json(fields).encode()


def link(previous: bytes | None, encoding: bytes) -> bytes:
    return hashlib.sha256((previous or GENESIS) + encoding).digest()


def chain_hashes(previous: bytes | None, rows: Sequence[dict[str, Any]]) -> list[bytes]:
    """The hashes of consecutive events of one stream, after `previous` (None: version 1).

    Each row holds canonical_encoding's keywords, `data` and `metadata` as stored JSON text.
    """
    hashes = []
    for row in rows:
        fields = {**row, "data": parse_json(row["data"]), "metadata": parse_json(row["metadata"])}
        previous = link(previous, canonical_encoding(**fields))
        hashes.append(previous)
    return hashes


# PostgreSQL: the same hash, computed by the database. The store's append statement
# computes it for its batch in a recursive CTE (PG_CHAIN_CTE: set-based, no per-row
# function call); the trigger computes it for a row inserted any other way. A row that
# arrives with a wrong hash is what `verify` reports: supplying one hides nothing.
#
# The previous event's hash is looked up by a VOLATILE function, after the append's bump
# has locked the stream row: it takes a fresh snapshot, so it sees the previous append
# even when that one committed while this statement waited for the lock.
PG_PREVIOUS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION events_previous_chain_hash(stream varchar, version bigint)
RETURNS bytea VOLATILE AS $$
BEGIN
    IF version < 1 THEN
        RETURN '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
    END IF;
    RETURN (SELECT e.chain_hash FROM events_event e
            WHERE e.stream_id = stream AND e.version = events_previous_chain_hash.version);
END;
$$ LANGUAGE plpgsql;
"""

# The canonical encoding in SQL (= jsonb_build_array(...)::text, written out: cheaper).
_PG_ENCODING = (
    "convert_to(format('[%s, %s, %s, %s, %s, %s, %s, %s]', to_json({stream}), {version}, "
    "to_json({row}.event_id), to_json({row}.type), {row}.schema_version, {row}.data, "
    "{row}.metadata, COALESCE(to_json({row}.occurred_on)::text, 'null')), 'UTF8')"
)

PG_CHAIN_FUNCTION = (
    r"""
CREATE OR REPLACE FUNCTION events_event_chain_hash() RETURNS trigger AS $$
BEGIN
    IF NEW.chain_hash IS NULL THEN
        NEW.chain_hash := sha256(events_previous_chain_hash(NEW.stream_id, NEW.version - 1)
            || """
    + _PG_ENCODING.format(stream="NEW.stream_id", version="NEW.version", row="NEW")
    + """);
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
)

# For the store's append statement: `chain(idx, hash)` over its `s` (the bumped stream row,
# `base` = the version before the batch) and `v` (the batch, idx 1..n); takes the stream id
# as three parameters. Percent signs doubled: the statement has parameters.
PG_CHAIN_CTE = (
    "chain(idx, hash) AS (SELECT 0, events_previous_chain_hash(%s, s.base) FROM s "
    "UNION ALL SELECT v.idx, sha256(chain.hash || "
    + _PG_ENCODING.replace("%", "%%").format(
        stream="%s::varchar", version="s.base + v.idx", row="v"
    )
    + ") FROM chain JOIN v ON v.idx = chain.idx + 1 CROSS JOIN s)"
)
PG_CHAIN_PARAMETERS = 2  # stream ids in PG_CHAIN_CTE


def sqlite_hashes(
    cursor: Any, stream_id: str, base: int, rows: Sequence[Sequence[Any]]
) -> list[bytes]:
    """The chain hashes of rows the store is about to insert on SQLite after version `base`:
    each row is (stream_id, version, event_id hex, type, schema_version, data text,
    metadata text, recorded_at, occurred_on) as the store binds them."""
    previous = None
    if base:
        cursor.execute(
            "SELECT chain_hash FROM events_event WHERE stream_id = %s AND version = %s",
            [stream_id, base],
        )
        found = cursor.fetchone()
        previous = bytes(found[0]) if found and found[0] is not None else None
    return chain_hashes(
        previous,
        [
            {
                "stream_id": row[0],
                "version": row[1],
                "event_id": str(uuid.UUID(str(row[2]))),
                "type": row[3],
                "schema_version": row[4],
                "data": row[5],
                "metadata": row[6],
                "occurred_on": row[8],
            }
            for row in rows
        ],
    )
