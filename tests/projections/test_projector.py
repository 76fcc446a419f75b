"""The projector machinery: checkpoints, exactly-once batches, rebuilds (issue 2)."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import pytest
from django.db import connection

from events import store
from events.models import Checkpoint
from events.projections.engine.status import lag_of
from events.projections.rules.stream_type_counts import (
    StreamTypeCountProjector,
    count_events,
    table_counts,
)
from events.store import NewEvent

pytestmark = pytest.mark.django_db(transaction=True)


def drain(projector: StreamTypeCountProjector, batch_size: int = 500) -> int:
    """Catch up until every committed event is applied (see project_everything)."""
    total = 0
    for _ in range(600):
        total += projector.catch_up(batch_size=batch_size)
        if lag_of(projector.name).behind == 0:
            return total
        time.sleep(0.05)
    raise AssertionError("the projector did not catch up")


def all_events() -> list[store.RecordedEvent]:
    events: list[store.RecordedEvent] = []
    while batch := store.read_all(after=events[-1].cursor if events else None, limit=1000):
        events += batch
    return events


def test_counts_follow_the_log_and_the_checkpoint_moves() -> None:
    store.append("order-1", [NewEvent("Placed", {}), NewEvent("Paid", {})], expected_version=0)
    store.append("cart-1", [NewEvent("Placed", {})], expected_version=0)
    projector = StreamTypeCountProjector()

    assert drain(projector, batch_size=2) == 3
    assert table_counts() == {("order", "Placed"): 1, ("order", "Paid"): 1, ("cart", "Placed"): 1}
    checkpoint = Checkpoint.objects.get(name="stream_type_counts")
    assert checkpoint.events_seen == 3
    assert checkpoint.cursor == all_events()[-1].cursor

    store.append("order-1", [NewEvent("Paid", {})], expected_version=2)
    assert drain(projector) == 1
    assert projector.catch_up() == 0  # nothing applied twice
    assert table_counts()[("order", "Paid")] == 2


def test_a_failed_batch_leaves_rows_and_checkpoint_untouched() -> None:
    store.append("order-1", [NewEvent("Placed", {})], expected_version=0)

    class Exploding(StreamTypeCountProjector):
        def apply(self, events: Sequence[store.RecordedEvent]) -> None:
            super().apply(events)
            raise RuntimeError("crash after writing the rows")

    with pytest.raises(RuntimeError):
        for _ in range(600):  # until the event is visible to read_all (see drain)
            Exploding().run_once()
            time.sleep(0.05)
    assert table_counts() == {}
    assert not Checkpoint.objects.filter(name="stream_type_counts").exclude(cursor="").exists()
    assert drain(StreamTypeCountProjector()) == 1
    assert table_counts() == {("order", "Placed"): 1}


def test_rebuild_replays_into_the_same_counts() -> None:
    for i in range(7):
        store.append(f"s{i % 3}-x", [NewEvent(f"T{i % 2}", {})], expected_version=None)
    projector = StreamTypeCountProjector()
    drain(projector, batch_size=3)
    incremental = table_counts()
    seen: list[int] = []

    replayed = projector.rebuild(progress=seen.append)
    assert sum(seen) == replayed
    assert replayed + drain(projector) == 7
    assert table_counts() == incremental == count_events(all_events())


@pytest.mark.postgres
def test_concurrent_projector_runs_apply_each_event_once() -> None:
    for i in range(300):
        store.append(f"order-{i % 17}", [NewEvent("Placed", {"i": i})], expected_version=None)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            StreamTypeCountProjector().catch_up(batch_size=7)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    drain(StreamTypeCountProjector())
    assert table_counts() == {("order", "Placed"): 300}
    assert Checkpoint.objects.get(name="stream_type_counts").events_seen == 300
