"""Real processes for the benchmarks: a Redis server, gunicorn and celery workers, each
in its own session (process group) and always stopped at the end, on a scratch database.

The worker tests and fault drills build their own Stack on the pieces here (ports,
Process, database_url, wait_for): tests/ingest/processes.py.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def wait_for(
    condition: Callable[[], bool],
    timeout: float,
    what: str,
    *,
    interval: float = 0.1,
    error: type[Exception] = RuntimeError,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise error(f"timed out after {timeout}s waiting for {what}")


def database_url(settings_dict: dict[str, Any]) -> str:
    host, port = settings_dict.get("HOST") or "127.0.0.1", settings_dict.get("PORT") or 5432
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


def redis_server_args(server: str, port: int) -> list[str]:
    """A throwaway redis-server on 127.0.0.1:port that keeps nothing on disk."""
    return [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]


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

    def kill(self, sig: signal.Signals = signal.SIGTERM) -> None:
        if self.alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)
        try:
            self.popen.wait(20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
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
    """The processes a benchmark runs; `close()` stops every one of them."""

    def __init__(self, database: str) -> None:
        self.database = database
        self.dir = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
        self.processes: list[Process] = []

    def env(self, broker_url: str, **extra: str) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "CELERY_", "DATABASE_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="tracker.settings",
            DATABASE_URL=self.database,
            CELERY_BROKER_URL=broker_url,
            CELERY_TASK_ALWAYS_EAGER="false",
            # As deployed: DEBUG off, persistent database connections.
            DEBUG="false",
            SECRET_KEY="bench-secret-key-not-for-production-0123456789",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            CONN_MAX_AGE="60",
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        env.update(extra)
        return env

    def start(self, name: str, args: list[str], env: dict[str, str]) -> Process:
        process = Process(name, args, env, self.dir)
        self.processes.append(process)
        return process

    def redis(self) -> str:
        server = shutil.which("redis-server")
        if not server:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        port = free_port()
        self.start("redis", redis_server_args(server, port), dict(os.environ))
        wait_for(lambda: port_answers(port), 10, "redis-server")
        return f"redis://127.0.0.1:{port}/0"

    def web(self, broker_url: str, workers: int = 2, threads: int = 8, **extra: str) -> str:
        port = free_port()
        process = self.start(
            "web",
            [
                str(BIN / "gunicorn"),
                "tracker.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                "60",
                "--keep-alive",
                "30",
            ],
            self.env(broker_url, **extra),
        )
        wait_for(lambda: port_answers(port) or not process.alive, 30, "gunicorn")
        if not process.alive:
            raise RuntimeError(process.log())
        return f"http://127.0.0.1:{port}"

    def worker(self, broker_url: str, concurrency: int = 2, **extra: str) -> Process:
        process = self.start(
            "worker",
            [
                str(BIN / "celery"),
                "-A",
                "tracker",
                "worker",
                "--pool=prefork",
                "-c",
                str(concurrency),
                "-l",
                "info",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"bench-{os.getpid()}@%h",
            ],
            self.env(broker_url, **extra),
        )
        wait_for(lambda: "ready." in process.log() or not process.alive, 60, "celery worker")
        if not process.alive:
            raise RuntimeError(process.log())
        return process

    def close(self) -> None:
        for process in reversed(self.processes):
            process.kill()
        shutil.rmtree(self.dir, ignore_errors=True)
