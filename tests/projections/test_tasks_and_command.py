"""The Celery task and beat entry, and `manage.py projections status|rebuild`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from events.projections.engine.status import lag_of
from events.projections.rules.incidents import IncidentRow
from tests.projections.incident_log import report
from tests.support.projections import project_everything

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_beat_runs_the_catch_up_task_and_the_task_projects() -> None:
    from events.tasks import catch_up_projections
    from tracker.celery import app

    entry = app.conf.beat_schedule["events-projections-catch-up"]
    assert entry["task"] == catch_up_projections.name
    assert app.conf.beat_schedule["sweep-stuck-articles"]  # the ingestion's entry is kept

    report("condemn", "IRQ", "USA", occurred_on="2024-01-05")
    applied = 0
    for _ in range(600):  # read_all may lag behind other transactions for a moment
        applied += catch_up_projections.apply().get()
        if lag_of("incidents").behind == 0:
            break
    assert applied >= 2  # one event, two projections
    assert IncidentRow.objects.count() == 1


def test_status_shows_each_projections_lag_and_rebuild_catches_it_up() -> None:
    report("condemn", "IRQ", "USA", occurred_on="2024-01-05")
    report("attack", "USA", "KH", occurred_on="2024-01-04")
    out = StringIO()
    call_command("projections", "status", stdout=out)
    assert "incidents: 2 events behind" in out.getvalue()

    call_command("projections", "rebuild", "incidents", stdout=StringIO(), stderr=StringIO())
    project_everything()
    out = StringIO()
    call_command("projections", "status", stdout=out)
    assert "incidents: 0 events behind" in out.getvalue()
    assert "stream_type_counts: 0 events behind" in out.getvalue()
    assert IncidentRow.objects.count() == 2

    with pytest.raises(CommandError, match="unknown projection 'nope'"):
        call_command("projections", "rebuild", "nope")
