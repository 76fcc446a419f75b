"""Real processes for the benchmarks: a Redis server, gunicorn and celery workers, each
in its own session (process group) and always stopped at the end, on a scratch database.

The worker tests and fault drills run the same Stack on the test database
(tests/support/processes.py).
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

ROOT = Path(__file__).resolve().parents[1]
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


# What a deployment sets and the benchmarks measure under: DEBUG off, persistent
# database connections.
AS_DEPLOYED = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-secret-key-not-for-production-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "CONN_MAX_AGE": "60",
    "LOG_LEVEL": "WARNING",
}


class Stack:
    """The processes a benchmark (or a worker test) runs; `close()` stops every one.

    The defaults are the benchmarks': deployed settings, a scratch log directory. The
    tests start theirs on the test database with the test settings (tests/support).
    """

    def __init__(
        self,
        database: str,
        *,
        log_dir: Path | None = None,
        settings: str = "tracker.settings",
        overrides: dict[str, str] = AS_DEPLOYED,
        web_threads: int = 8,
        web_keep_alive: int | None = 30,
        worker_concurrency: int = 2,
        failure: type[Exception] = RuntimeError,
    ) -> None:
        self.database = database
        self.owns_dir = log_dir is None
        self.dir = log_dir or Path(tempfile.mkdtemp(prefix="tracker-bench-"))
        self.settings = settings
        self.overrides = overrides
        self.web_threads = web_threads
        self.web_keep_alive = web_keep_alive
        self.worker_concurrency = worker_concurrency
        self.failure = failure
        self.processes: list[Process] = []

    def env(self, broker_url: str, **extra: str) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PYTEST_", "DJANGO_", "CELERY_", "DATABASE_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE=self.settings,
            DATABASE_URL=self.database,
            CELERY_BROKER_URL=broker_url,
            CELERY_TASK_ALWAYS_EAGER="false",
            PYTHONUNBUFFERED="1",
        )
        env.update(self.overrides)
        env.update(extra)
        return env

    def start(self, name: str, args: list[str], env: dict[str, str]) -> Process:
        process = Process(name, args, env, self.dir)
        self.processes.append(process)
        return process

    def _wait(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        wait_for(condition, timeout, what, error=self.failure)

    def _started(self, process: Process) -> Process:
        if not process.alive:
            raise self.failure(process.log())
        return process

    def redis_server(self, port: int) -> Process:
        server = shutil.which("redis-server")
        if not server:
            raise self.failure("redis-server is not installed (apt-get install redis-server)")
        process = self.start(f"redis-{port}", redis_server_args(server, port), dict(os.environ))
        self._wait(lambda: port_answers(port), 10, f"redis-server on {port}")
        return process

    def redis(self) -> str:
        """A redis-server of this stack's own on a free port: its URL."""
        port = free_port()
        self.redis_server(port)
        return f"redis://127.0.0.1:{port}/0"

    def web(self, broker_url: str, **extra: str) -> str:
        port = free_port()
        keep_alive = (
            [] if self.web_keep_alive is None else ["--keep-alive", str(self.web_keep_alive)]
        )
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
                str(self.web_threads),
                "--timeout",
                "60",
                *keep_alive,
            ],
            self.env(broker_url, **extra),
        )
        self._wait(lambda: port_answers(port) or not process.alive, 30, "gunicorn")
        self._started(process)
        return f"http://127.0.0.1:{port}"

    def asgi_web(self, broker_url: str, *, workers: int = 1, **extra: str) -> str:
        """gunicorn with uvicorn workers (tracker.asgi), as the live log is served."""
        port = free_port()
        process = self.start(
            "asgi-web",
            [
                str(BIN / "gunicorn"),
                "tracker.asgi:application",
                "-k",
                "uvicorn_worker.UvicornWorker",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                str(workers),
                "--timeout",
                "60",
            ],
            self.env(broker_url, **extra),
        )
        self._wait(lambda: port_answers(port) or not process.alive, 30, "gunicorn (ASGI)")
        self._started(process)
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
                str(self.worker_concurrency),
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
        self._wait(lambda: "ready." in process.log() or not process.alive, 60, f"{name} ready")
        return self._started(process)

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
                str(self.dir / "celerybeat-schedule"),
            ],
            self.env(broker_url, **extra),
        )

    def manage(self, broker_url: str, *args: str) -> str:
        """Run a manage.py command to completion against this stack's database; its stdout."""
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

    def close(self, sig: signal.Signals = signal.SIGTERM) -> None:
        for process in reversed(self.processes):
            process.kill(sig)
        if self.owns_dir:
            shutil.rmtree(self.dir, ignore_errors=True)
