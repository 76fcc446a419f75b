"""A rebuild on PostgreSQL folds the log in shares, each in a forked process of its own
(events.projections.engine.shares): however many shares, the tables equal the fold of the log,
the keys and indexes are all back, and a share that fails fails the whole rebuild while
readers keep the live tables as they were."""

from __future__ import annotations

import random
import uuid

import pytest
from django.db import connection
from django.test import override_settings

from events.models import Checkpoint
from events.projections.engine import incidents
from events.projections.engine.log_scan import LogScan
from events.projections.engine.projectors import PROJECTORS
from events.projections.rules.incidents import IncidentRow, IncidentSource
from tests.projections.incident_log import follow_up, report, source
from tests.projections.test_projection_equals_fold import assert_tables_equal_the_fold
from tests.support.projections import project_everything

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

ACTORS = ["USA", "IRN", "KH", "ISR"]


def _varied_log(seed: int = 7, size: int = 60) -> list[uuid.UUID]:
    """Reports of every kind that feeds a read model (attacks, ultimatums, withdrawals,
    force levels, condemnations), then corroborations, corrections, retractions, merges."""
    rng = random.Random(seed)
    created: list[uuid.UUID] = []
    for i in range(size):
        kind = rng.choice(["attack", "ultimatum", "withdraw", "force_level", "deploy", "condemn"])
        actor, target = rng.sample(ACTORS, 2)
        day = f"2024-02-{rng.randint(1, 20):02d}"
        fields: dict[str, object] = {"occurred_on": day, "country": "IRQ", "location": "Mosul"}
        if kind in ("withdraw", "force_level", "deploy"):
            fields["quantity"] = {"value": rng.choice([100, 900, 2500]), "unit": "troops"}
        if kind == "ultimatum":
            fields["deadline"] = f"2024-02-{rng.randint(10, 28):02d}T12:00:00+00:00"
        created.append(report(kind, actor, target, source=source(article_id=i + 1), **fields))
        earlier = rng.choice(created)
        step = rng.random()
        if step < 0.3:
            follow_up("IncidentCorroborated", earlier, source=source(article_id=1000 + i))
        elif step < 0.4:
            follow_up("IncidentCorrected", earlier, changes={"target": actor}, reason="fix")
        elif step < 0.5:
            follow_up("IncidentRetracted", earlier, reason="wrong", article_id=None)
        elif step < 0.55 and earlier != created[-1]:
            follow_up("IncidentMerged", earlier, into=str(created[-1]))
            follow_up(
                "IncidentCorroborated", created[-1], source=source(), merged_from=str(earlier)
            )
    return created


@pytest.mark.parametrize("processes", [1, 3])
def test_any_number_of_shares_gives_the_tables_of_the_fold(processes: int) -> None:
    _varied_log()
    project_everything()
    with override_settings(TRACKER_REBUILD_PROCESSES=processes):
        replayed = PROJECTORS["incidents"].rebuild()
    checkpoint = Checkpoint.objects.get(name="incidents")
    assert replayed == checkpoint.events_seen > 60
    assert_tables_equal_the_fold()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, contype FROM pg_constraint "
            "WHERE conrelid IN ('events_proj_incident'::regclass, "
            "'events_proj_incident_source'::regclass) ORDER BY 1, 2"
        )
        keys = cursor.fetchall()
    assert keys == [
        ("events_proj_incident", "c"),  # version >= 0
        ("events_proj_incident", "p"),
        ("events_proj_incident", "u"),  # one row per stream
        ("events_proj_incident_source", "f"),
        ("events_proj_incident_source", "p"),
    ]


# The real fold, taken before the test patches the module: through the patched name the
# healthy share would call itself until a RecursionError raced share 1's error.
_real_fold_share = incidents._fold_share


def _failing_share(scan: LogScan, share: incidents._Share) -> incidents.DerivedRows:
    if scan.part is not None and scan.part.number == 1:
        raise RuntimeError("share 1 gave up")
    return _real_fold_share(scan, share)


def test_a_failing_share_fails_the_rebuild_and_leaves_the_live_tables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _varied_log(size=20)
    project_everything()
    before = sorted(map(str, IncidentRow.objects.values_list("incident_id", flat=True)))
    sources_before = IncidentSource.objects.count()
    seen = Checkpoint.objects.get(name="incidents").events_seen
    monkeypatch.setattr(incidents, "_fold_share", _failing_share)
    with override_settings(TRACKER_REBUILD_PROCESSES=2), pytest.raises(RuntimeError, match="gave"):
        PROJECTORS["incidents"].rebuild()
    after = sorted(map(str, IncidentRow.objects.values_list("incident_id", flat=True)))
    assert after == before and len(before) == 20
    assert IncidentSource.objects.count() == sources_before
    assert Checkpoint.objects.get(name="incidents").events_seen == seen
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'rebuild_%%'")
        assert cursor.fetchone() == (0,)  # the half-built tables are gone
    assert_tables_equal_the_fold()
