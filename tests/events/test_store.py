"""The event store's promises, on whichever database the suite runs against."""

import uuid

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import QuerySet

from events import store, upcasting
from events.models import Event, Stream
from events.store import ConcurrencyError, InvalidCursor, NewEvent

pytestmark = pytest.mark.django_db(transaction=True)


def _event(n: int = 0, **extra: object) -> NewEvent:
    return NewEvent(type="Thing", data={"n": n, **extra})


def test_append_numbers_versions_and_returns_recorded_events() -> None:
    recorded = store.append("thing-1", [_event(1), _event(2)], expected_version=0)
    assert [e.version for e in recorded] == [1, 2]
    assert recorded[0].position < recorded[1].position
    assert [e.data["n"] for e in store.read_stream("thing-1")] == [1, 2]
    assert store.stream_version("thing-1") == 2
    more = store.append("thing-1", [_event(3)], expected_version=2)
    assert more[0].version == 3
    assert store.append("thing-1", [_event(4)], expected_version=None)[0].version == 4


def test_stale_expected_version_raises_and_writes_nothing() -> None:
    store.append("thing-2", [_event(1)], expected_version=0)
    with pytest.raises(ConcurrencyError) as caught:
        store.append("thing-2", [_event(2), _event(3)], expected_version=0)
    assert caught.value.actual == 1
    with pytest.raises(ConcurrencyError):
        store.append("thing-2", [_event(2)], expected_version=5)
    with pytest.raises(ConcurrencyError):
        store.append("never-created", [_event(2)], expected_version=1)
    assert [e.version for e in store.read_stream("thing-2")] == [1]
    assert not Stream.objects.filter(stream_id="never-created").exists()


def test_batch_whose_last_event_breaks_a_constraint_leaves_nothing() -> None:
    store.append("thing-3", [_event(0)], expected_version=0)
    batch = [_event(1), _event(2), NewEvent(type="", data={})]  # CHECK type <> ''
    with pytest.raises(IntegrityError):
        store.append("thing-3", batch, expected_version=1)
    assert [e.version for e in store.read_stream("thing-3")] == [1]
    assert store.stream_version("thing-3") == 1
    assert Event.objects.count() == 1


def test_retried_append_with_same_event_ids_is_a_no_op() -> None:
    ids = [uuid.uuid4(), uuid.uuid4()]
    batch = [NewEvent("Thing", {"n": i}, event_id=event_id) for i, event_id in enumerate(ids)]
    first = store.append("thing-4", batch, expected_version=0)
    again = store.append("thing-4", batch, expected_version=0)
    also = store.append("thing-4", batch, expected_version=None)
    assert [e.position for e in again] == [e.position for e in first]
    assert [e.position for e in also] == [e.position for e in first]
    assert Event.objects.count() == 2
    assert store.stream_version("thing-4") == 2


def test_partly_stored_event_ids_are_refused() -> None:
    known = uuid.uuid4()
    store.append("thing-5", [NewEvent("Thing", {}, event_id=known)], expected_version=0)
    with pytest.raises(ValueError, match="some of these event ids"):
        store.append(
            "thing-5",
            [NewEvent("Thing", {}, event_id=known), NewEvent("Thing", {}, event_id=uuid.uuid4())],
            expected_version=None,
        )
    assert Event.objects.count() == 1


@pytest.mark.parametrize(
    ("stream_id", "events", "expected", "message"),
    [
        ("", [NewEvent("T", {})], 0, "stream_id"),
        ("x" * 201, [NewEvent("T", {})], 0, "stream_id"),
        ("s", [], 0, "at least one"),
        ("s", [NewEvent("T", {})], -1, "expected_version"),
    ],
)
def test_bad_append_arguments_are_refused(
    stream_id: str, events: list[NewEvent], expected: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        store.append(stream_id, events, expected_version=expected)
    assert Event.objects.count() == 0


def test_read_all_pages_through_every_event_once_with_filters() -> None:
    for i in range(7):
        store.append(f"a-{i % 3}", [_event(i)], expected_version=None)
        store.append(f"b-{i % 2}", [NewEvent("Other", {"n": i})], expected_version=None)
    seen, cursor = [], None
    while page := store.read_all(after=cursor, limit=3):
        seen += page
        cursor = page[-1].cursor
    assert len(seen) == 14 and len({e.event_id for e in seen}) == 14
    assert store.head_cursor() == seen[-1].cursor
    others = store.read_all(types=["Other"])
    assert len(others) == 7 and {e.type for e in others} == {"Other"}
    assert [e.version for e in store.read_all(stream_id="a-0")] == [1, 2, 3]


@pytest.mark.parametrize("cursor", ["nonsense", "1-x", "-1-5", "1.5"])
def test_read_all_refuses_a_cursor_it_did_not_hand_out(cursor: str) -> None:
    with pytest.raises(InvalidCursor):
        store.read_all(after=cursor)


def test_upcaster_reshapes_old_payloads_on_read_without_rewriting_rows() -> None:
    event_type = f"Renamed{uuid.uuid4().hex[:8]}"
    store.append("up-1", [NewEvent(event_type, {"old_name": 5})], expected_version=0)

    @upcasting.upcaster(event_type, from_version=1)
    def _rename(data: dict[str, object]) -> dict[str, object]:
        return {"new_name": data["old_name"]}

    try:
        (event,) = store.read_stream("up-1")
        assert event.schema_version == 2
        assert event.data == {"new_name": 5}
        row = Event.objects.get(stream_id="up-1")
        assert row.schema_version == 1 and row.data == {"old_name": 5}
        fresh = store.append("up-1", [NewEvent(event_type, {"new_name": 6})], expected_version=1)
        assert fresh[0].schema_version == 2
    finally:
        del upcasting._UPCASTERS[(event_type, 1)]


# --- Immutability ------------------------------------------------------------------------


def _raw(sql: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def test_raw_sql_cannot_update_or_delete_the_log() -> None:
    store.append("imm-1", [_event(1)], expected_version=0)
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("UPDATE events_event SET type = 'Forged'")
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("DELETE FROM events_event")
    (event,) = store.read_stream("imm-1")
    assert event.type == "Thing"


@pytest.mark.postgres
def test_raw_sql_cannot_truncate_the_log() -> None:
    store.append("imm-2", [_event(1)], expected_version=0)
    with pytest.raises(DatabaseError, match="append-only: TRUNCATE"):
        _raw("TRUNCATE events_event")
    assert Event.objects.count() == 1


def test_orm_cannot_update_or_delete_the_log() -> None:
    store.append("imm-3", [_event(1)], expected_version=0)
    with pytest.raises(PermissionError):
        Event.objects.filter(stream_id="imm-3").update(type="Forged")
    with pytest.raises(PermissionError):
        Event.objects.all().delete()
    with pytest.raises(PermissionError):
        Event.objects.get(stream_id="imm-3").delete()
    # Past the manager's guard, a plain queryset reaches the database, whose triggers refuse.
    plain: QuerySet[Event] = QuerySet(model=Event)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        plain.filter(stream_id="imm-3").update(type="Forged")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        plain.filter(stream_id="imm-3")._raw_delete(using="default")
    assert Event.objects.get(stream_id="imm-3").type == "Thing"
