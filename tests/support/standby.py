"""A throwaway PostgreSQL primary and hot standby made with the machine's own binaries.

`streaming_pair()` runs initdb, starts a primary on a free port, creates and migrates a
database there, clones it with pg_basebackup (-R: a standby that streams from the primary)
and starts the standby on another free port. Both live in one temporary folder and are
stopped and removed on exit, whatever happened. As root (CI), the servers run as the
`postgres` user, since initdb refuses root.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.queues import Queue
from pathlib import Path
from typing import Any

import psycopg

from bench.processes import ROOT, free_port, wait_for

DATABASE = "tracker"
SERVER_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "wal_level": "replica",
    "max_wal_senders": "4",
    "hot_standby": "on",
    "fsync": "off",  # throwaway clusters: durability buys nothing here
    "full_page_writes": "off",
    "shared_buffers": "32MB",
    "max_connections": "40",
}


class StandbyUnavailable(RuntimeError):
    """The machine cannot run a throwaway cluster (no binaries, no user to run them)."""


def postgres_bin() -> Path:
    """The folder of the newest installed server binaries (initdb, pg_ctl, ...)."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_major, reverse=True)
    found = [Path(c).parent for c in candidates]
    if not found and shutil.which("initdb"):
        found = [Path(str(shutil.which("initdb"))).parent]
    if not found:
        raise StandbyUnavailable("no initdb: install the PostgreSQL server package")
    return found[0]


def _major(path: str) -> int:
    version = Path(path).parent.parent.name
    return int(version) if version.isdigit() else 0


@dataclass(frozen=True)
class Server:
    port: int
    data: Path

    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def conninfo(self) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={DATABASE}"

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(self.conninfo(), autocommit=True)


class Clusters:
    def __init__(self) -> None:
        self.bin = postgres_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="tracker-standby-"))
        self.as_root = os.geteuid() == 0
        if self.as_root:
            try:
                account = pwd.getpwnam("postgres")
            except KeyError:
                raise StandbyUnavailable("running as root without a postgres user") from None
            os.chown(self.dir, account.pw_uid, account.pw_gid)
        self.started: list[Path] = []

    def run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, cwd=self.dir, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")

    def start(self, data: Path, port: int) -> Server:
        self.started.append(data)
        self.run("pg_ctl", "-D", str(data), "-l", str(data) + ".log", "-w", "-t", "60", "start")
        server = Server(port, data)
        wait_for(lambda: _answers(server), 30, f"PostgreSQL on port {port}")
        return server

    def configure(self, data: Path, port: int) -> None:
        settings = {
            **SERVER_SETTINGS,
            "port": str(port),
            "unix_socket_directories": f"'{self.dir}'",
        }
        with (data / "postgresql.auto.conf").open("a") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())

    def primary(self) -> Server:
        data = self.dir / "primary"
        self.run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "-N")
        port = free_port()
        self.configure(data, port)
        server = self.start(data, port)
        with psycopg.connect(
            f"host=127.0.0.1 port={port} user=postgres dbname=postgres", autocommit=True
        ) as db:
            db.execute(f"CREATE DATABASE {DATABASE}")
        return server

    def standby_of(self, primary: Server) -> Server:
        data = self.dir / "standby"
        self.run(
            "pg_basebackup",
            *("-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"),
            *("-D", str(data), "-R", "-X", "stream", "-c", "fast", "-N"),
        )
        port = free_port()
        self.configure(data, port)  # after the primary's settings, so this port wins
        return self.start(data, port)

    def close(self) -> None:
        for data in reversed(self.started):
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self.run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


def _answers(server: Server) -> bool:
    try:
        with psycopg.connect(
            f"host=127.0.0.1 port={server.port} user=postgres dbname=postgres", connect_timeout=2
        ):
            return True
    except psycopg.OperationalError:
        return False


def manage(env: dict[str, str], *args: str) -> str:
    """Run a manage.py command in a process of its own with `env` set; its stdout."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_", "DATABASE_"))
    }
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "tracker.settings", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed: {done.stderr[-3000:]}")
    return done.stdout


def migrate(server: Server) -> None:
    """The project's schema on `server`."""
    manage({"DATABASE_URL": server.url()}, "migrate", "--noinput", "-v", "0")


@contextlib.contextmanager
def database_aliases(configs: dict[str, dict[str, Any]]) -> Iterator[None]:
    """Database aliases added to Django's connections for a while (what
    DATABASE_REPLICA_URLS configures at start-up), closed and removed on exit.

    Only the connections are added, not their settings: Django's test cases refuse a
    configured alias a test did not declare, but allow connections made on the fly."""
    from django.db import connections
    from django.db.utils import load_backend

    primary = dict(connections["default"].settings_dict)
    configured = connections.configure_settings({"default": primary, **configs})
    for alias in configs:
        backend = load_backend(configured[alias]["ENGINE"])
        connections[alias] = backend.DatabaseWrapper(configured[alias], alias)
    try:
        yield
    finally:
        for alias in configs:
            connections[alias].close()
            del connections[alias]


def write_on(database_url: str, writer: int, seconds: float, out: Queue) -> None:
    """A writer process on a throwaway primary (tests/events/writers.write_for): the URL
    is set before Django loads its settings, so this module imports no Django."""
    os.environ["DATABASE_URL"] = database_url
    from tests.events import writers

    writers.write_for(DATABASE, writer, seconds, out)


@contextlib.contextmanager
def streaming_pair() -> Iterator[tuple[Server, Server]]:
    """A migrated primary and a hot standby streaming from it; both gone on exit."""
    clusters = Clusters()
    try:
        primary = clusters.primary()
        migrate(primary)
        standby = clusters.standby_of(primary)
        yield primary, standby
    finally:
        clusters.close()


def wait_until_replayed(primary: Server, standby: Server, timeout: float = 60) -> None:
    """Until the standby has replayed everything the primary had written when called."""
    with primary.connect() as db:
        row = db.execute("SELECT pg_current_wal_lsn()::text").fetchone()
    target = str(row[0]) if row else "0/0"
    deadline = time.monotonic() + timeout
    with standby.connect() as db:
        while time.monotonic() < deadline:
            done = db.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]).fetchone()
            if done and done[0]:
                return
            time.sleep(0.05)
    raise RuntimeError(f"the standby did not replay up to {target} in {timeout}s")
