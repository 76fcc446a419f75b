"""8 writer processes x 1,000 appends on overlapping streams, a projector process
following the log as they write: nothing lost, no version twice, nothing skipped."""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter

import pytest
from django.db import connection

from events.models import Checkpoint
from events.selectors import iter_log
from tests.faults import workers
from tests.faults.report import figure, note
from tests.projections.incident_log import report
from tests.projections.test_projection_equals_fold import assert_tables_equal_the_fold
from tests.support.projections import project_everything

pytestmark = [
    pytest.mark.faults,
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

WRITERS = 8
APPENDS = 1000
STREAMS = 12  # few enough that writers collide on them all the time


def test_eight_writers_lose_nothing_duplicate_no_version_and_the_projector_skips_nothing() -> None:
    incident_ids = [
        str(report("attack", "USA", "KH", occurred_on="2024-01-04", killed=i))
        for i in range(STREAMS)
    ]
    ctx = multiprocessing.get_context("spawn")
    out, projector_out, stop = ctx.Queue(), ctx.Queue(), ctx.Event()
    name = connection.settings_dict["NAME"]
    projector = ctx.Process(target=workers.follow, args=(name, stop, projector_out))
    projector.start()
    start_at = time.time() + 4.0  # spawn + django.setup done by then
    writers = [
        ctx.Process(
            target=workers.corroborate, args=(name, w, incident_ids, APPENDS, start_at, out)
        )
        for w in range(WRITERS)
    ]
    started = time.monotonic()
    for process in writers:
        process.start()
    results = [out.get(timeout=600) for _ in writers]
    took = time.monotonic() - started
    for process in writers:
        process.join(30)
        assert process.exitcode == 0
    stop.set()
    applied_live, runs = projector_out.get(timeout=120)
    projector.join(30)
    assert projector.exitcode == 0

    committed = [c for written, _ in results for c in written]
    conflicts = sum(n for _, n in results)
    assert len(committed) == WRITERS * APPENDS

    log = list(iter_log())
    by_id = Counter(str(e.event_id) for e in log)
    lost = [c for c in committed if by_id[c[0]] != 1]
    assert not lost, f"{len(lost)} committed appends are not in the log exactly once"
    assert len(log) == STREAMS + WRITERS * APPENDS
    duplicate_versions = [
        k for k, n in Counter((e.stream_id, e.version) for e in log).items() if n > 1
    ]
    assert not duplicate_versions
    for stream_id in {e.stream_id for e in log}:
        versions = sorted(e.version for e in log if e.stream_id == stream_id)
        assert versions == list(range(1, len(versions) + 1)), f"gap in {stream_id}"
    assert sorted((c[1], c[2]) for c in committed) == sorted(
        (e.stream_id, e.version) for e in log if e.type == "IncidentCorroborated"
    )

    project_everything()
    # Events the projector skipped = committed - seen, for each projection's checkpoint.
    skipped = {c.name: len(log) - c.events_seen for c in Checkpoint.objects.all()}
    assert skipped and not any(skipped.values()), f"events skipped, by projection: {skipped}"
    assert_tables_equal_the_fold()

    figure("concurrent appends committed", len(committed))
    figure("appends lost", len(lost))
    figure("duplicate versions", len(duplicate_versions))
    figure("events skipped by the projector", max(skipped.values()))
    note(
        f"8 writers x {APPENDS} appends on {STREAMS} streams: {len(committed)} committed in "
        f"{took:.1f}s ({len(committed) / took:,.0f}/s), {conflicts} version conflicts retried, "
        f"projector applied {applied_live} live in {runs} runs; lost {len(lost)}, duplicate "
        f"versions {len(duplicate_versions)}, skipped {max(skipped.values())}"
    )
