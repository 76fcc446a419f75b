"""Schema evolution without rewriting history.

Each event type has a current schema version. A payload stored under an older version is
brought to the current shape on read by a chain of pure functions, one per step:

    @upcaster("IncidentReported", from_version=1)
    def _v1_to_v2(data: dict) -> dict: ...

Stored rows are never touched; only what `read_*` hands out is upcast.
"""

from collections.abc import Callable
from typing import Any

Payload = dict[str, Any]
Upcaster = Callable[[Payload], Payload]

_UPCASTERS: dict[tuple[str, int], Upcaster] = {}


def upcaster(event_type: str, *, from_version: int) -> Callable[[Upcaster], Upcaster]:
    def register(fn: Upcaster) -> Upcaster:
        key = (event_type, from_version)
        if key in _UPCASTERS:
            raise ValueError(f"two upcasters for {event_type} v{from_version}")
        _UPCASTERS[key] = fn
        return fn

    return register


def current_version(event_type: str) -> int:
    version = 1
    while (event_type, version) in _UPCASTERS:
        version += 1
    return version


def upcast(event_type: str, schema_version: int, data: Payload) -> tuple[int, Payload]:
    """Return (current version, payload in the current shape)."""
    version = schema_version
    while (fn := _UPCASTERS.get((event_type, version))) is not None:
        data = fn(dict(data))
        version += 1
    return version, data
