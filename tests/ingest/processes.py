"""Real processes for the worker tests: a Redis server, gunicorn, celery worker and beat.

Each runs in its own session (process group) so a test can SIGKILL a worker and its pool
children at once, and is always stopped in teardown.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from django.db import connection

from events.benchmarks import processes as shared
from events.benchmarks.processes import BIN, ROOT, Process, free_port, port_answers

__all__ = ["BIN", "ROOT", "Process", "Stack", "free_port", "port_answers", "wait_for"]


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """As the benchmarks wait, but a timeout fails the test."""
    shared.wait_for(condition, timeout, what, interval=0.2, error=AssertionError)


def test_database_url() -> str:
    """The database pytest-django created, for processes that are not this one."""
    return shared.database_url(connection.settings_dict)


class Stack:
    """Starts the processes a test asks for and stops every one of them at the end."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.processes: list[Process] = []

    def env(self, broker_url: str, **extra: str) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PYTEST_", "DJANGO_", "CELERY_", "DATABASE_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="tracker.settings_test",
            DATABASE_URL=test_database_url(),
            CELERY_BROKER_URL=broker_url,
            CELERY_TASK_ALWAYS_EAGER="false",
            PYTHONUNBUFFERED="1",
            **extra,
        )
        return env

    def start(self, name: str, args: list[str], env: dict[str, str]) -> Process:
        process = Process(name, args, env, self.log_dir)
        self.processes.append(process)
        return process

    def redis(self, port: int) -> Process:
        server = shutil.which("redis-server")
        assert server, "redis-server is not installed"
        process = self.start(
            f"redis-{port}", shared.redis_server_args(server, port), dict(os.environ)
        )
        wait_for(lambda: port_answers(port), 10, f"redis-server on {port}")
        return process

    def web(self, broker_url: str, **extra: str) -> str:
        port = free_port()
        process = self.start(
            "web",
            [
                str(BIN / "gunicorn"),
                "tracker.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "2",
                "--threads",
                "16",
                "--timeout",
                "60",
            ],
            self.env(broker_url, **extra),
        )
        wait_for(lambda: port_answers(port) or not process.alive, 30, "gunicorn")
        assert process.alive, process.log()
        return f"http://127.0.0.1:{port}"

    def worker(self, broker_url: str, name: str = "worker", **extra: str) -> Process:
        process = self.start(
            name,
            [
                str(BIN / "celery"),
                "-A",
                "tracker",
                "worker",
                "--pool=prefork",
                "-c",
                "1",
                "-l",
                "info",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{name}-{os.getpid()}@%h",
            ],
            self.env(broker_url, **extra),
        )
        wait_for(lambda: "ready." in process.log() or not process.alive, 60, f"{name} ready")
        assert process.alive, process.log()
        return process

    def beat(self, broker_url: str, **extra: str) -> Process:
        return self.start(
            "beat",
            [
                str(BIN / "celery"),
                "-A",
                "tracker",
                "beat",
                "-l",
                "info",
                "-s",
                str(self.log_dir / "celerybeat-schedule"),
            ],
            self.env(broker_url, **extra),
        )

    def manage(self, broker_url: str, *args: str) -> str:
        """Run a manage.py command to completion against the test database; its stdout."""
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(broker_url),
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            process.kill(signal.SIGKILL)
