"""GET /api/events/ and /api/streams/<id>/: walking the log by cursor."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from django.db import connection
from rest_framework.test import APIClient

from events import store
from events.store import NewEvent

pytestmark = pytest.mark.django_db(transaction=True)


def walk(client: APIClient, after: str = "", limit: int = 7, **filters: str) -> tuple[list, str]:
    seen: list[dict] = []
    while True:
        query = {"after": after, "limit": str(limit), **filters}
        response = client.get("/api/events/", query)
        assert response.status_code == 200, response.content
        page = response.json()
        if not page["results"]:
            return seen, after
        seen += page["results"]
        after = page["next"]


def walk_until(client: APIClient, count: int, **filters: str) -> list[dict]:
    """Walk on until `count` events came (reads may lag behind other transactions)."""
    seen: list[dict] = []
    after = ""
    deadline = time.monotonic() + 30
    while len(seen) < count and time.monotonic() < deadline:
        page, after = walk(client, after, 7, **filters)
        seen += page
    return seen


def test_walking_next_returns_every_event_once_in_order() -> None:
    for i in range(23):
        store.append(f"order-{i % 4}", [NewEvent("Placed", {"i": i})], expected_version=None)
    store.append("cart-1", [NewEvent("Emptied", {})], expected_version=0)
    client = APIClient()

    events = walk_until(client, 24)
    assert len(events) == 24
    assert len({e["event_id"] for e in events}) == 24
    assert [e["position"] for e in events] == sorted(e["position"] for e in events)

    only_carts = walk_until(client, 1, type="Emptied")
    assert [e["stream_id"] for e in only_carts] == ["cart-1"]
    one_stream = walk_until(client, 6, stream="order-1")
    assert [e["data"]["i"] for e in one_stream] == [1, 5, 9, 13, 17, 21]


def test_a_stream_and_its_events() -> None:
    store.append("order-9", [NewEvent("Placed", {}), NewEvent("Paid", {})], expected_version=0)
    client = APIClient()
    body = client.get("/api/streams/order-9/").json()
    assert (body["version"], [e["type"] for e in body["events"]]) == (2, ["Placed", "Paid"])
    missing = client.get("/api/streams/order-404/")
    assert missing.status_code == 404 and "order-404" in missing.json()["error"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"after": "not-a-cursor"}, "after"),
        ({"after": "-5"}, "after"),
        ({"limit": "0"}, "limit"),
        ({"limit": "many"}, "limit"),
    ],
)
def test_bad_cursor_or_limit_is_a_400_naming_it(query: dict[str, str], field: str) -> None:
    response = APIClient().get("/api/events/", query)
    assert response.status_code == 400
    assert field in response.json()["error"]


@pytest.mark.postgres
def test_walking_while_writers_append_skips_nothing_and_repeats_nothing() -> None:
    writers, per_writer = 4, 60
    written: list[uuid.UUID] = []
    lock = threading.Lock()

    def write(n: int) -> None:
        try:
            for i in range(per_writer):
                event_id = uuid.uuid4()
                store.append(
                    f"w{n}-{i % 5}",
                    [NewEvent("Wrote", {"n": n, "i": i}, event_id=event_id)],
                    expected_version=None,
                )
                with lock:
                    written.append(event_id)
                time.sleep(0.001 * (i % 3))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    client = APIClient()
    seen: list[dict] = []
    after = ""
    deadline = time.monotonic() + 60
    while len(seen) < writers * per_writer and time.monotonic() < deadline:
        page, after = walk(client, after=after, limit=13)
        seen += page
    for thread in threads:
        thread.join()

    ids = [uuid.UUID(e["event_id"]) for e in seen]
    assert len(ids) == len(set(ids)), "an event came twice"
    assert set(ids) == set(written), "an event was skipped"
    for stream in {e["stream_id"] for e in seen}:
        versions = [e["version"] for e in seen if e["stream_id"] == stream]
        assert versions == list(range(1, len(versions) + 1))
