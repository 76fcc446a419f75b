"""The log's NOTIFY channel (migration 0010 sends on it after every append) and a
synchronous wait on it for one request (the long poll of `/api/events/?wait=N`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import connection

CHANNEL = "tracker_log"
# Also re-read this often while waiting: an event can commit behind an older transaction
# that appends nothing (a projector batch) and only become readable when that one ends,
# which sends no notification of its own.
RECHECK_SECONDS = 0.25
SQLITE_POLL_SECONDS = 0.1

T = TypeVar("T")


def connection_kwargs(settings_dict: dict[str, Any]) -> dict[str, Any]:
    """psycopg.connect() arguments for a Django database's settings."""
    given = {
        "dbname": settings_dict.get("NAME"),
        "user": settings_dict.get("USER"),
        "password": settings_dict.get("PASSWORD"),
        "host": settings_dict.get("HOST"),
        "port": settings_dict.get("PORT"),
    }
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
