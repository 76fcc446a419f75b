"""The live log (issue 15): /api/events/stream as Server-Sent Events under the ASGI
server (gunicorn with a uvicorn worker) on PostgreSQL, resumable by Last-Event-ID with
nothing skipped and nothing twice while eight writers append; the long poll of
/api/events/?wait=N; and the polling stream a synchronous server falls back to."""

from __future__ import annotations

import http.client
import json
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.db import connection
from rest_framework.test import APIClient

from events import store
from events.live.tail import ACTIVE_WINDOW_SECONDS, IDLE_RECHECK_SECONDS
from tests.projections.incident_log import report
from tests.projections.scenarios import seed_like_world
from tests.support.processes import stack_on_the_test_database
from tests.support.projections import project_everything

WRITERS = 8
PER_WRITER = 40


class SseClient:
    """A plain HTTP/1.1 reader of one event stream: (id, data) per message."""

    def __init__(self, base: str, path: str, headers: dict[str, str] | None = None) -> None:
        url = urlparse(base)
        self.connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=15)
        self.connection.request(
            "GET", path, headers={"Accept": "text/event-stream", **(headers or {})}
        )
        self.response = self.connection.getresponse()
        self.heartbeats = 0

    def messages(self, count: int) -> list[tuple[str, dict[str, Any]]]:
        received: list[tuple[str, dict[str, Any]]] = []
        fields: dict[str, str] = {}
        while len(received) < count:
            line = self.response.readline().decode("utf-8").rstrip("\n")
            if line == "":
                if "data" in fields:
                    received.append((fields.get("id", ""), json.loads(fields["data"])))
                fields = {}
            elif line.startswith(":"):
                self.heartbeats += 1
            else:
                name, _, value = line.partition(":")
                fields[name] = value.removeprefix(" ")
        return received

    def wait_for_heartbeat(self) -> None:
        before = self.heartbeats
        while self.heartbeats == before:
            line = self.response.readline().decode("utf-8")
            assert not line.startswith(("id:", "data:")), f"unexpected event {line!r}"
            if line.startswith(":"):
                self.heartbeats += 1

    def close(self) -> None:
        self.connection.close()


@pytest.fixture
def asgi_server(transactional_db: None, tmp_path: Path) -> Iterator[str]:
    stack = stack_on_the_test_database(tmp_path)
    try:
        yield stack.asgi_web("memory://", TRACKER_STREAM_HEARTBEAT_SECONDS="0.5")
    finally:
        stack.close()


def append_concurrently(
    prefix: str, writers: int = WRITERS, each: int = PER_WRITER, *, versions_from: int = 0
) -> set[str]:
    """`writers` threads appending `each` events one by one to streams `prefix-<n>`
    (at versions after `versions_from`); the event ids appended."""
    appended: set[str] = set()
    lock = threading.Lock()

    def write(n: int) -> None:
        try:
            for i in range(each):
                [event] = store.append(
                    f"{prefix}-{n}",
                    [store.NewEvent("LiveTest", {"writer": n, "i": i}, {})],
                    expected_version=versions_from + i,
                )
                with lock:
                    appended.add(str(event.event_id))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return appended


def in_read_order(ids: list[str]) -> bool:
    keys = [store.parse_cursor(i) for i in ids]
    return keys == sorted(keys) and len(set(keys)) == len(keys)


@pytest.mark.postgres
@pytest.mark.slow
def test_stream_resumes_by_last_event_id_with_nothing_skipped_or_twice(asgi_server: str) -> None:
    head = store.head_cursor()
    first = SseClient(asgi_server, "/api/events/stream", {"Last-Event-ID": head})
    assert first.response.status == 200
    assert first.response.getheader("Content-Type", "").startswith("text/event-stream")
    appended = append_concurrently(f"live-{uuid.uuid4().hex[:8]}")
    half = first.messages(len(appended) // 2)
    first.close()  # the client drops mid-stream, as a network would

    more = append_concurrently(f"more-{uuid.uuid4().hex[:8]}", writers=4, each=10)
    last_id = half[-1][0]
    second = SseClient(asgi_server, "/api/events/stream", {"Last-Event-ID": last_id})
    rest = second.messages(len(appended) + len(more) - len(half))
    second.close()

    received = [data["event_id"] for _, data in half + rest]
    assert len(received) == len(set(received)), "an event arrived twice"
    assert set(received) == appended | more, "an event was skipped"
    assert in_read_order([i for i, _ in half + rest])
    assert all(i == data["cursor"] for i, data in half + rest), "id: is the event's cursor"


@pytest.mark.postgres
@pytest.mark.slow
def test_stream_filters_catch_up_from_the_start_and_beat_when_quiet(asgi_server: str) -> None:
    prefix = f"filtered-{uuid.uuid4().hex[:8]}"
    before = append_concurrently(prefix, writers=2, each=5)  # in the log before it connects
    client = SseClient(asgi_server, f"/api/events/stream?stream={prefix}-1")
    old = client.messages(5)  # from the start of the log: the database, not the tail
    after = append_concurrently(prefix, writers=2, each=5, versions_from=5)
    new = client.messages(5)
    client.wait_for_heartbeat()
    client.close()
    assert {d["stream_id"] for _, d in old + new} == {f"{prefix}-1"}
    assert {d["event_id"] for _, d in old} <= before
    assert {d["event_id"] for _, d in new} <= after
    assert in_read_order([i for i, _ in old + new])


@pytest.mark.postgres
@pytest.mark.slow
def test_a_quiet_stream_wakes_on_the_notification_not_on_its_next_recheck(
    asgi_server: str,
) -> None:
    client = SseClient(asgi_server, "/api/events/stream", {"Last-Event-ID": store.head_cursor()})
    quiet_until = time.monotonic() + ACTIVE_WINDOW_SECONDS + 1.0
    while time.monotonic() < quiet_until:  # past the tail's busy re-reads: only NOTIFY now
        client.wait_for_heartbeat()
    appended_at = time.monotonic()
    [event_id] = append_concurrently(f"quiet-{uuid.uuid4().hex[:8]}", writers=1, each=1)
    [(_, data)] = client.messages(1)
    delay = time.monotonic() - appended_at
    client.close()
    assert data["event_id"] == event_id
    # Without a notification it would wait for the tail's next re-read (every 5 s).
    assert delay < 1.0 < IDLE_RECHECK_SECONDS, f"delivered {delay:.2f} s after the append"


@pytest.mark.postgres
@pytest.mark.slow
def test_long_poll_waits_for_the_next_append(asgi_server: str) -> None:
    head = store.head_cursor()
    url = urlparse(asgi_server)

    def get(path: str) -> tuple[int, dict[str, Any], float]:
        started = time.monotonic()
        conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=30)
        conn.request("GET", path)
        response = conn.getresponse()
        body = json.loads(response.read())
        conn.close()
        return response.status, body, time.monotonic() - started

    status, body, took = get(f"/api/events/?after={head}&wait=1")
    assert (status, body["results"], body["next"]) == (200, [], head)
    assert took >= 1.0, f"answered after {took:.2f} s, not after waiting"

    timer = threading.Timer(1.0, lambda: append_concurrently("poll", writers=1, each=1))
    timer.start()
    status, body, took = get(f"/api/events/?after={head}&wait=20")
    timer.join()
    assert status == 200 and [e["type"] for e in body["results"]] == ["LiveTest"]
    assert took < 10, f"the long poll answered {took:.2f} s after it started"
    status, body, _ = get(f"/api/events/?after={head}&wait=31")
    assert status == 400 and "wait" in body["detail"]


@pytest.mark.postgres
@pytest.mark.slow
def test_the_asgi_server_streams_the_exports_it_would_serve_under_wsgi(asgi_server: str) -> None:
    seed_like_world()
    report(
        "attack", "USA", "KH", location="Baghdad", country="IRQ", latitude=33.31, longitude=44.37
    )
    project_everything()
    url = urlparse(asgi_server)
    for name in ["csv", "plover.jsonl", "geojson"]:
        conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=30)
        conn.request("GET", f"/api/export/incidents.{name}")
        response = conn.getresponse()
        body = response.read()
        conn.close()
        assert response.status == 200
        assert response.getheader("Transfer-Encoding") == "chunked", "streamed, not sized"
        wsgi = APIClient().get(f"/api/export/incidents.{name}")
        assert body == b"".join(wsgi.streaming_content)  # type: ignore[attr-defined]
        assert b"Baghdad" in body


def test_a_bad_cursor_is_a_400_even_when_asking_for_an_event_stream(db: None) -> None:
    response = APIClient().get(
        "/api/events/stream", {"after": "nonsense"}, HTTP_ACCEPT="text/event-stream"
    )
    assert response.status_code == 400
    assert "after" in json.loads(response.content)["detail"]


@pytest.mark.django_db(transaction=True)
def test_a_synchronous_server_streams_by_polling(settings: Any) -> None:
    settings.TRACKER_STREAM_HEARTBEAT_SECONDS = 0.2
    [first] = store.append("sync-1", [store.NewEvent("LiveTest", {"i": 0}, {})], expected_version=0)
    response = APIClient().get("/api/events/stream", HTTP_ACCEPT="text/event-stream")
    assert response.status_code == 200
    pieces = iter(response.streaming_content)  # type: ignore[attr-defined]
    assert next(pieces).startswith(b"retry:")
    assert f"id: {first.cursor}\n".encode() in next(pieces)
    [second] = store.append(
        "sync-1", [store.NewEvent("LiveTest", {"i": 1}, {})], expected_version=1
    )
    assert f"id: {second.cursor}\n".encode() in next(pieces)
    assert next(pieces) == b": heartbeat\n\n"
    response.close()
