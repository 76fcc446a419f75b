"""The log itself: pages in read order, one stream."""

from __future__ import annotations

from typing import Any

from events import store
from events.api.representations import event_json
from events.selectors.common import NotFound


def log_page(
    *, after: str | None, limit: int, types: list[str] | None, stream_id: str | None
) -> dict[str, Any]:
    """One page of the log in read order; `next` is the cursor to ask for the next page.

    Raises store.InvalidCursor for a cursor the store did not hand out.
    """
    events = store.read_all(after=after, limit=limit, types=types, stream_id=stream_id)
    next_cursor = events[-1].cursor if events else (after or "")
    return {"results": [event_json(e) for e in events], "next": next_cursor}


def storable(text: str, what: str) -> str:
    """Text that can be looked up at all (PostgreSQL text cannot hold NUL bytes)."""
    if "\x00" in text or len(text) > store.MAX_STREAM_ID:
        raise NotFound(f"no {what} {text!r}")
    return text


def stream_events(stream_id: str) -> dict[str, Any]:
    events = store.read_stream(storable(stream_id, "stream"))
    if not events:
        raise NotFound(f"no stream {stream_id!r}")
    return {
        "stream_id": stream_id,
        "version": events[-1].version,
        "events": [event_json(e) for e in events],
    }
