"""The log's newest events, read once per process and shared by every live subscriber.

One task per process (per event loop) follows the log: it LISTENs on the log's NOTIFY
channel with a connection of its own (SQLite: polls), reads what is new in read order
(gap-free, `store.read_all`) and keeps the newest events in memory. A subscriber takes
what follows its cursor from here; one that is further behind than the kept events reads
the database itself until it catches up. A thousand subscribers cost one listener and
one read per wake-up, not a thousand.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import psycopg
from django.db import InterfaceError, OperationalError, connection, connections

from events import store
from events.live.notify import CHANNEL, RECHECK_SECONDS, SQLITE_POLL_SECONDS, connection_kwargs

logger = logging.getLogger(__name__)

Key = tuple[int, int]  # (tx_id, position): read order
KEEP = 20_000  # events kept in memory; a subscriber further behind reads the database
READ_BATCH = 1000
IDLE_RECHECK_SECONDS = 5.0  # re-read without a notification this often when all is quiet
ACTIVE_WINDOW_SECONDS = 2.0  # after new events, re-read every RECHECK_SECONDS this long


def key_of(cursor: str | None) -> Key:
    return store.parse_cursor(cursor)


class LogTail:
    """Events after `start` up to `end`, in read order, and a wake-up for new ones."""

    def __init__(self) -> None:
        self.start: Key | None = None  # everything after start and up to end is held
        self.end: Key = (0, 0)
        self._keys: list[Key] = []
        self._events: list[store.RecordedEvent] = []
        self.changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        # The database calls run on one thread of their own, with its own connection.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="log-tail")

    # --- what subscribers call ------------------------------------------------------
    def after(self, key: Key) -> list[store.RecordedEvent] | None:
        """The held events after `key`; None when `key` is older than what is held."""
        if self.start is None or key < self.start:
            return None
        return self._events[bisect.bisect_right(self._keys, key) :]

    async def run_sync(self, work: Callable[[], Any]) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._executor, _fresh(work))

    def ensure_running(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._follow())

    # --- following the log ------------------------------------------------------------
    def _add(self, events: list[store.RecordedEvent]) -> None:
        self._events.extend(events)
        self._keys.extend((e.tx_id, e.position) for e in events)
        self.end = self._keys[-1]
        if len(self._events) > 2 * KEEP:
            dropped = len(self._events) - KEEP
            self.start = self._keys[dropped - 1]
            del self._events[:dropped], self._keys[:dropped]
        woken, self.changed = self.changed, asyncio.Event()
        woken.set()

    async def _read_new(self) -> int:
        read = 0
        while True:
            after = store.format_cursor(*self.end)
            batch = await self.run_sync(partial(store.read_all, after=after, limit=READ_BATCH))
            if batch:
                self._add(batch)
                read += len(batch)
            if len(batch) < READ_BATCH:
                return read

    async def _follow(self) -> None:
        if self.start is None:
            head = await self.run_sync(store.head_cursor)
            self.start = self.end = key_of(head)
            woken, self.changed = self.changed, asyncio.Event()
            woken.set()
        vendor = connection.vendor
        while True:
            try:
                if vendor == "postgresql":
                    await self._follow_notifications()
                else:
                    await self._poll()
            except asyncio.CancelledError:
                raise
            except Exception:  # database restarting: keep trying; subscribers just wait
                logger.exception("following the log failed; retrying in a second")
                await asyncio.sleep(1.0)

    async def _poll(self) -> None:
        while True:
            await self._read_new()
            await asyncio.sleep(SQLITE_POLL_SECONDS)

    async def _follow_notifications(self) -> None:
        params = connection_kwargs(connections["default"].settings_dict)
        async with await psycopg.AsyncConnection.connect(autocommit=True, **params) as listener:
            await listener.execute(f"LISTEN {CHANNEL}")
            loop = asyncio.get_running_loop()
            active_until = 0.0
            while True:
                if await self._read_new():
                    active_until = loop.time() + ACTIVE_WINDOW_SECONDS
                quiet = loop.time() > active_until
                timeout = IDLE_RECHECK_SECONDS if quiet else RECHECK_SECONDS
                async for _ in listener.notifies(timeout=timeout, stop_after=1):
                    pass


def _fresh(work: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        try:
            return work()
        except (OperationalError, InterfaceError):
            connection.close()  # the server dropped it: the next call connects anew
            raise

    return run


_TAILS: dict[asyncio.AbstractEventLoop, LogTail] = {}


def log_tail() -> LogTail:
    """This event loop's (this process's) tail of the log, following it from now on."""
    loop = asyncio.get_running_loop()
    tail = _TAILS.get(loop)
    if tail is None:
        for stale in [other for other in _TAILS if other.is_closed()]:
            with contextlib.suppress(Exception):
                _TAILS.pop(stale)._executor.shutdown(wait=False)
        tail = _TAILS[loop] = LogTail()
    tail.ensure_running()
    return tail
