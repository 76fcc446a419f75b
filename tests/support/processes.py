"""The benchmarks' process harness (bench.processes) as the worker tests and fault drills
run it: on the test database pytest-django created, with the test settings, and a
timeout that fails the test.

Each process runs in its own session (process group) so a test can SIGKILL a worker and
its pool children at once; the test stops them all in teardown (`close(SIGKILL)`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.db import connection

from bench import processes


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """As the benchmarks wait, but a timeout fails the test."""
    processes.wait_for(condition, timeout, what, interval=0.2, error=AssertionError)


def test_database_url() -> str:
    """The database pytest-django created, for processes that are not this one."""
    return processes.database_url(connection.settings_dict)


def stack_on_the_test_database(log_dir: Path) -> processes.Stack:
    """Processes with the test settings (not as deployed), logs in the test's `log_dir`."""
    return processes.Stack(
        test_database_url(),
        log_dir=log_dir,
        settings="tracker.settings_test",
        overrides={},
        web_threads=16,
        web_keep_alive=None,
        worker_concurrency=1,
        failure=AssertionError,
    )
