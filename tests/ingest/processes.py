"""Real processes for the worker tests: a Redis server, gunicorn, celery worker and beat.

Each runs in its own session (process group) so a test can SIGKILL a worker and its pool
children at once, and is always stopped in teardown.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def test_database_url() -> str:
    """The database pytest-django created, for processes that are not this one."""
    db = connection.settings_dict
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class Process:
    def __init__(self, name: str, args: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self._log = self.log_path.open("ab")
        self.popen = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self, sig: signal.Signals = signal.SIGKILL) -> None:
        if self.alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)
        try:
            self.popen.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(5)
        self._log.close()

    def stop(self) -> None:
        self.kill(signal.SIGTERM)

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")[-4000:]


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
            f"redis-{port}",
            [
                server,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            dict(os.environ),
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
            process.kill()
