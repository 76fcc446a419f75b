"""One live subscriber: every log event after its cursor that passes its filter, in
read order, each exactly once, for as long as it listens.

It takes new events from the process's tail (events.live.tail) and reads the database
itself only while it is behind what the tail holds. Its position can run ahead of the
last event it was sent (events the filter left out), never behind it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

from asgiref.sync import sync_to_async

from events import store
from events.live.tail import Key, LogTail, key_of

CATCH_UP_BATCH = 500

Match = Callable[[store.RecordedEvent], bool]


def event_filter(types: list[str] | None, stream_id: str | None) -> Match:
    def matches(event: store.RecordedEvent) -> bool:
        return (not types or event.type in types) and (
            not stream_id or event.stream_id == stream_id
        )

    return matches


async def follow(
    tail: LogTail,
    after: str | None,
    *,
    types: list[str] | None,
    stream_id: str | None,
    heartbeat: float,
) -> AsyncIterator[list[store.RecordedEvent]]:
    """Batches of new events; an empty batch when `heartbeat` seconds pass without one."""
    key: Key = key_of(after)
    matches = event_filter(types, stream_id)
    read = sync_to_async(store.read_all, thread_sensitive=False)
    while True:
        changed = tail.changed  # taken before looking, so no wake-up slips between
        held = tail.after(key)
        if held is None:
            # Behind the tail: read the database, up to at least what the tail had reached
            # (`bound`: committed and readable then, so this read sees everything before it).
            bound = tail.end if tail.start is not None else None
            batch = await read(
                after=store.format_cursor(*key),
                limit=CATCH_UP_BATCH,
                types=types,
                stream_id=stream_id,
            )
            if batch:
                key = max(key, (batch[-1].tx_id, batch[-1].position))
                yield batch
            if len(batch) == CATCH_UP_BATCH:
                continue
            if bound is not None:
                key = max(key, bound)
                continue
        elif held:
            key = (held[-1].tx_id, held[-1].position)
            wanted = [e for e in held if matches(e)]
            if wanted:
                yield wanted
            continue
        try:
            await asyncio.wait_for(changed.wait(), heartbeat)
        except TimeoutError:
            yield []
