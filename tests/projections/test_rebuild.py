"""A rebuild swaps complete tables in: readers and the incremental projector carry on with
the old ones meanwhile, and nothing appended during the rebuild is lost."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from events import store
from events.models import Checkpoint
from events.projections.engine.projectors import PROJECTORS
from events.projections.rules.incidents import IncidentRow
from tests.projections.incident_log import report, source
from tests.projections.test_projection_equals_fold import assert_tables_equal_the_fold
from tests.support.projections import project_everything

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.postgres
def test_readers_keep_the_old_rows_until_the_swap_and_nothing_stalls() -> None:
    for day in range(1, 8):
        report("attack", "USA", "KH", occurred_on=f"2024-01-0{day}")
    project_everything()
    paused, resume = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def pause_midway(_: int) -> None:
        paused.set()
        resume.wait(30)

    def rebuild() -> None:
        try:
            PROJECTORS["incidents"].rebuild(progress=pause_midway)
        except BaseException as error:  # pragma: no cover - asserted below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=rebuild)
    thread.start()
    try:
        assert paused.wait(30), "the rebuild never started reading"
        assert IncidentRow.objects.count() == 7  # the old rows, complete
        report("attack", "USA", "KH", occurred_on="2024-01-09")
        project_everything(timeout=30)  # the incremental projector is not held up
        assert IncidentRow.objects.count() == 8
    finally:
        resume.set()
        thread.join()
    assert errors == []
    project_everything()
    assert IncidentRow.objects.count() == 8
    assert Checkpoint.objects.get(name="incidents").events_seen == 8
    assert_tables_equal_the_fold()


def test_text_that_copy_must_escape_survives_a_rebuild() -> None:
    awkward = 'tab\there, new\nline, back\\slash \\N, "quotes", \r, Mosul/الموصل'
    report(
        "condemn",
        "IRQ",
        "TUR",
        location="Mosul\tcity",
        source=source(evidence=awkward, outlet="Wire\\Desk", url="https://x.example/a\tb"),
    )
    project_everything()
    for projector in PROJECTORS.values():
        projector.rebuild()
    project_everything()
    [row] = IncidentRow.objects.all()
    assert row.state["sources"][0]["evidence"] == awkward
    assert row.location == "Mosul\tcity"
    assert_tables_equal_the_fold()


@pytest.mark.postgres
def test_swapped_in_tables_have_statistics_and_only_the_indexes_queries_use() -> None:
    for day in range(1, 4):
        report("attack", "USA", "KH", occurred_on=f"2024-01-0{day}")
    project_everything()
    PROJECTORS["incidents"].rebuild()
    with connection.cursor() as cursor:
        # Analyzed in the side schema before the swap, so the live table has statistics.
        cursor.execute(
            "SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() "
            "AND tablename = 'events_proj_incident'"
        )
        assert cursor.fetchone()[0] > 0
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = 'events_proj_incident'"
        )
        indexes = {name for (name,) in cursor.fetchall()}
    assert not [name for name in indexes if name.endswith("_like")]
    assert {"proj_incident_page", "proj_incident_pair", "proj_incident_stream"} <= indexes
    assert len(indexes) == 10
    assert_tables_equal_the_fold()


def test_a_state_keeps_what_readers_show_of_a_source_and_the_log_keeps_the_rest() -> None:
    bookkeeping = {
        "feed": "wire",
        "external_id": "w-1",
        "content_hash": "abc",
        "classifier_version": "v1",
    }
    shown = {"outlet": "Wire", "url": "https://x.example/1", "title": "T", "evidence": "E."}
    incident_id = report("attack", "USA", "KH", source=source(**bookkeeping, **shown))
    project_everything()
    PROJECTORS["incidents"].rebuild()
    [row] = IncidentRow.objects.all()
    [kept] = row.state["sources"]
    assert shown.items() <= kept.items()
    assert not bookkeeping.keys() & kept.keys()
    [event] = store.read_stream(f"incident-{incident_id}")
    assert bookkeeping.items() <= event.data["source"].items()
    assert_tables_equal_the_fold()
