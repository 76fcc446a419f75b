"""The log's NOTIFY channel: `announce_append()` (called by store.append) has it sent
once the appending transaction has committed, and `wait_for_new` waits on it for one
request (the long poll of `/api/events/?wait=N`).

The NOTIFY is not sent by the appending transaction (a trigger would do that): there it
takes PostgreSQL's notification lock until the commit record is on disk, so concurrent
appends commit one after another (measured here: eight writers fell from 295 to 161
appends/s). Nor by the writer right after its commit (an extra transaction per append:
269 -> 201/s). A thread of each writing process sends it, on a connection of its own with
synchronous_commit off, once for however many appends committed while it was busy: the
writer only sets an event. A notification lost in a crash costs a late wake-up at most;
readers re-read every few seconds anyway.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import psycopg
from django.db import connection, connections, transaction

logger = logging.getLogger(__name__)

CHANNEL = "tracker_log"
# Also re-read this often while waiting: an event can commit behind an older transaction
# that appends nothing (a projector batch) and only become readable when that one ends,
# which sends no notification of its own.
RECHECK_SECONDS = 0.25
SQLITE_POLL_SECONDS = 0.1
IDLE_CLOSE_SECONDS = 0.2

T = TypeVar("T")


class _Notifier:
    """One thread per process that sends NOTIFY whenever appends have committed."""

    def __init__(self) -> None:
        self._pending = threading.Event()
        self._pid = 0
        self._lock = threading.Lock()

    def request(self) -> None:
        if self._pid != os.getpid():  # first use, or a forked child: threads do not follow
            with self._lock:
                if self._pid != os.getpid():
                    params = connection_kwargs(connections["default"].settings_dict)
                    self._pending = threading.Event()
                    threading.Thread(
                        target=self._run, args=(params,), name="log-notify", daemon=True
                    ).start()
                    self._pid = os.getpid()
        self._pending.set()

    def _run(self, params: dict[str, Any]) -> None:
        pending = self._pending
        sender: psycopg.Connection[Any] | None = None
        while True:
            if not pending.wait(timeout=IDLE_CLOSE_SECONDS) and sender is not None:
                # Quiet: let the connection go (nothing stays attached to the database
                # between bursts of appends, which a DROP DATABASE would trip over).
                sender.close()
                sender = None
                continue
            if not pending.is_set():
                continue
            pending.clear()
            try:
                if sender is None or sender.closed:
                    sender = psycopg.connect(autocommit=True, **params)
                    sender.execute("SET synchronous_commit TO off")
                sender.execute(f"NOTIFY {CHANNEL}")
            except psycopg.Error:
                logger.warning("could not notify %s; retrying", CHANNEL, exc_info=True)
                sender = None
                pending.set()
                time.sleep(1.0)


_NOTIFIER = _Notifier()


def announce_append() -> None:
    """Wake the log's listeners once the current transaction commits (at once outside
    one). PostgreSQL only: SQLite readers poll."""
    if connection.vendor == "postgresql":
        transaction.on_commit(_NOTIFIER.request)


_LIBPQ_OPTIONS = frozenset(
    {
        "sslmode",
        "sslrootcert",
        "sslcert",
        "sslkey",
        "options",
        "connect_timeout",
        "target_session_attrs",
    }
)


def connection_kwargs(settings_dict: dict[str, Any]) -> dict[str, Any]:
    """psycopg.connect() arguments for a Django database's settings."""
    given = {
        "dbname": settings_dict.get("NAME"),
        "user": settings_dict.get("USER"),
        "password": settings_dict.get("PASSWORD"),
        "host": settings_dict.get("HOST"),
        "port": settings_dict.get("PORT"),
    }
    # libpq's own connection options pass through; Django's (pool, isolation_level,
    # server_side_binding...) do not.
    options = settings_dict.get("OPTIONS") or {}
    given.update({key: value for key, value in options.items() if key in _LIBPQ_OPTIONS})
    return {key: value for key, value in given.items() if value}


def wait_for_new(read: Callable[[], T], found: Callable[[T], bool], seconds: float) -> T:
    """`read()` again until `found(result)` or `seconds` have passed; the last result.

    On PostgreSQL the request's own connection LISTENs while it waits, so a reader
    wakes within milliseconds of a commit; on SQLite it polls."""
    result = read()
    deadline = time.monotonic() + seconds
    if found(result) or seconds <= 0:
        return result
    if connection.vendor != "postgresql":
        while not found(result) and (left := deadline - time.monotonic()) > 0:
            time.sleep(min(SQLITE_POLL_SECONDS, left))
            result = read()
        return result
    with connection.cursor() as cursor:
        cursor.execute(f"LISTEN {CHANNEL}")
    try:
        result = read()  # anything appended before LISTEN took effect
        while not found(result) and (left := deadline - time.monotonic()) > 0:
            raw = connection.connection
            for _ in raw.notifies(timeout=min(RECHECK_SECONDS, left), stop_after=1):
                pass
            result = read()
        return result
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"UNLISTEN {CHANNEL}")
