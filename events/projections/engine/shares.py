"""A rebuild's scan of the log split among processes (PostgreSQL).

Folding the log is Python, so one process uses one core however many the machine has.
A rebuild can instead hand each of N forked processes one share of the streams
(`log_scan.Part`: a stream's events all fall in one share, so each process folds whole
streams exactly as the one-process scan would) up to the same head cursor. Each process
reads its share with a COPY of its own, writes its rows over its own connections and
returns what the parent needs to finish (the derived rows' inputs: small); the parent
sums the events read and moves the checkpoint to the head, as one scan would have.

A forked process inherits the parent's database sockets. It must never use or close them
(the parent's session holds the fresh tables' search_path and the rebuild's lock), so
the first thing it does is to set them aside and let Django open its own.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, connections

from events.projections.engine.log_scan import LogScan, Part

Job = TypeVar("Job")
Result = TypeVar("Result")
Progress = Callable[[int], object]

POLL_SECONDS = 0.25  # how often the parent passes the processes' progress on

# In a worker process: the parent's connections (kept referenced, never closed: closing
# would end the parent's sessions), and the counts shared with the parent: events read,
# shares whose rows are all written.
_inherited: list[Any] = []
_events_read: Any = None
_shares_written: Any = None


def share_count() -> int:
    """How many processes a rebuild folds the log in: one where the database is SQLite,
    or where this process may not start others (a daemonic one, as a Celery worker's)."""
    if connection.vendor != "postgresql" or multiprocessing.current_process().daemon:
        return 1
    return max(1, int(settings.TRACKER_REBUILD_PROCESSES))


def scan_in_shares(
    work: Callable[[LogScan, Job], Result],
    job: Job,
    head: str,
    progress: Progress | None = None,
    *,
    all_written: Callable[[], object] | None = None,
    count: int | None = None,
) -> tuple[list[Result], int]:
    """`work(scan, job)` over each share of the log up to `head`, each share in a process
    of its own (in this process when there is one share); the results, in share order,
    and the number of events read. `work` must be a module-level function and `job` and
    the results picklable (they cross between processes).

    all_written: called here once every share's `work` has called `rows_written()`, so
    that what needs all the rows (index builds) starts while the results still travel
    (with one share, as soon as its `work` returns: nothing travels).
    """
    count = share_count() if count is None else count
    if count == 1:
        scan = LogScan(progress, head=head)
        result = work(scan, job)
        if all_written:
            all_written()
        return [result], scan.count
    context = multiprocessing.get_context("fork")
    events_read, shares_written = context.Value("q", 0), context.Value("q", 0)
    with ProcessPoolExecutor(
        count,
        mp_context=context,
        initializer=_start_worker,
        initargs=(events_read, shares_written),
    ) as pool:
        futures = [pool.submit(_share, work, job, head, Part(i, count)) for i in range(count)]
        reported = 0
        while True:
            done, running = wait(futures, timeout=POLL_SECONDS, return_when=FIRST_EXCEPTION)
            read = events_read.value
            if progress and read > reported:
                progress(read - reported)
                reported = read
            if all_written and shares_written.value == count:
                all_written()
                all_written = None
            failed = [f for f in done if f.exception() is not None]
            if failed:
                for future in running:
                    future.cancel()
                raise failed[0].exception()  # type: ignore[misc]
            if not running:
                break
        outcomes = [future.result() for future in futures]
    return [result for result, _ in outcomes], sum(n for _, n in outcomes)


def rows_written() -> None:
    """Called by a share's `work` once its rows are all stored (see `scan_in_shares`);
    nothing to tell in the rebuild's own process."""
    if _shares_written is not None:
        with _shares_written.get_lock():
            _shares_written.value += 1


def _start_worker(events_read: Any, shares_written: Any) -> None:
    """Runs first in each forked process: own database connections, shared progress."""
    global _events_read, _shares_written
    _events_read, _shares_written = events_read, shares_written
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None:
            _inherited.append(conn.connection)
            conn.connection = None  # the next query opens this process's own


def _add_progress(more: int) -> None:
    with _events_read.get_lock():
        _events_read.value += more


def _share(
    work: Callable[[LogScan, Job], Result], job: Job, head: str, part: Part
) -> tuple[Result, int]:
    scan = LogScan(_add_progress, head=head, part=part)
    try:
        return work(scan, job), scan.count
    finally:
        for conn in connections.all(initialized_only=True):
            conn.close()  # this process's own sessions (the inherited ones are set aside)
