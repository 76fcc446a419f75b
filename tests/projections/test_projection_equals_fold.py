"""Property: whatever the appends and however the projector's runs interleave with them,
the tables equal the pure fold of the log, and a rebuild gives the same tables again."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events import store
from events.domain import Factuality, IncidentType
from events.domain.fold import fold_incidents
from events.models import Checkpoint
from events.projections.engine.config import (
    country_level_names,
    force_window_days,
    stance_half_life_days,
)
from events.projections.engine.projectors import PROJECTORS
from events.projections.rules import ForceLevel, Stance, Ultimatum, forces, stances, ultimatums
from events.projections.rules.stream_type_counts import count_events, table_counts
from events.selectors import NOW, incident_states, iter_log
from tests.projections.incident_log import follow_up, report, source
from tests.support.projections import project_everything

pytestmark = pytest.mark.django_db(transaction=True)

ACTORS = st.sampled_from(["AAA", "BBB", "CCC", None])
DAY0 = date(2020, 1, 1)
days = st.integers(min_value=0, max_value=400).map(lambda n: (DAY0 + timedelta(days=n)).isoformat())
quantities = st.one_of(
    st.none(),
    st.builds(
        lambda value, unit: {"value": value, "unit": unit},
        st.one_of(st.none(), st.integers(min_value=0, max_value=3000)),
        st.sampled_from(["troops", "battalion", "Troops"]),
    ),
)
reports = st.fixed_dictionaries(
    {
        "type": st.sampled_from([t.value for t in IncidentType]),
        "actor": ACTORS,
        "target": ACTORS,
        "country": st.sampled_from(["IRQ", "SYR", None]),
        "location": st.sampled_from(["Mosul", "Iraq", None]),
        "quantity": quantities,
        "status": st.sampled_from([f.value for f in Factuality]),
        "occurred_on": st.one_of(st.none(), days),
        "deadline": st.one_of(st.none(), days.map(lambda d: f"{d}T12:00:00+00:00")),
        "source": st.builds(
            lambda article, outlet: source(article_id=article, outlet=outlet),
            st.integers(min_value=1, max_value=4),
            st.sampled_from(["Reuters", "AiBot"]),
        ),
    }
)
corrections = st.one_of(
    st.fixed_dictionaries(
        {"type": st.sampled_from(["attack", "deploy", "force_level", "withdraw"])}
    ),
    st.fixed_dictionaries({"actor": ACTORS}),
    st.fixed_dictionaries({"quantity": quantities}),
    st.fixed_dictionaries({"occurred_on": days}),
    st.fixed_dictionaries({"status": st.sampled_from(["asserted", "denied"])}),
)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("report"), reports),
        st.tuples(st.just("corroborate"), st.integers(0, 50), quantities),
        st.tuples(st.just("correct"), st.integers(0, 50), corrections),
        st.tuples(st.just("verify"), st.integers(0, 50)),
        st.tuples(st.just("retract"), st.integers(0, 50), st.sampled_from([None, 1, 2])),
        st.tuples(st.just("merge"), st.integers(0, 50), st.integers(0, 50)),
        st.tuples(st.just("project"), st.integers(1, 7)),
    ),
    max_size=25,
)


def perform(operation: tuple[Any, ...], created: list[uuid.UUID]) -> None:
    kind = operation[0]
    if kind == "report":
        fields = dict(operation[1])
        created.append(
            report(fields.pop("type"), fields.pop("actor"), fields.pop("target"), **fields)
        )
        return
    if kind == "project":
        for projector in PROJECTORS.values():
            projector.run_once(batch_size=operation[1])
        return
    if not created:
        return
    incident = created[operation[1] % len(created)]
    if kind == "corroborate":
        reported = {"quantity": operation[2]} if operation[2] else {}
        follow_up("IncidentCorroborated", incident, source=source(article_id=3), reported=reported)
    elif kind == "correct":
        follow_up("IncidentCorrected", incident, changes=operation[2], reason="editor fix")
    elif kind == "verify":
        follow_up("IncidentVerified", incident)
    elif kind == "retract":
        follow_up("IncidentRetracted", incident, reason="retracted", article_id=operation[2])
    elif kind == "merge":
        survivor = created[operation[2] % len(created)]
        if survivor != incident:
            follow_up("IncidentMerged", incident, into=str(survivor))
            follow_up("IncidentCorroborated", survivor, source=source(), merged_from=str(incident))


def log_until(projection: str) -> list[store.RecordedEvent]:
    """The log as far as the projection's checkpoint. (Read visibility waits for older
    transactions still running, so a projector can lag behind the log; it never skips.)"""
    checkpoint = Checkpoint.objects.get(name=projection)
    end = store.parse_cursor(checkpoint.cursor)
    return [e for e in iter_log() if store.parse_cursor(e.cursor) <= end]


def assert_tables_equal_the_fold() -> None:
    assert table_counts() == count_events(log_until("stream_type_counts"))
    folded = fold_incidents(log_until("incidents"))
    assert {s.stream_id: s.to_json() for s in incident_states(NOW)} == {
        k: v.to_json() for k, v in folded.items()
    }
    states = list(folded.values())
    expected_forces = forces.force_rows(states, country_level_names(), force_window_days())
    assert [r.data for r in ForceLevel.objects.all()] == [r.to_json() for r in expected_forces]
    expected_stances = stances.stance_rows(states, stance_half_life_days())
    assert [r.data for r in Stance.objects.all()] == [r.to_json() for r in expected_stances]
    table_ultimatums = sorted(
        (r.data for r in Ultimatum.objects.all()), key=lambda d: (d["issued_on"], d["incident_id"])
    )
    assert table_ultimatums == [r.to_json() for r in ultimatums.ultimatum_rows(states)]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations)
def test_tables_equal_the_fold_of_the_log_then_after_a_rebuild(ops: list[tuple[Any, ...]]) -> None:
    # Each example starts from an empty log (the test settings let flush empty it), so a
    # failure shrinks to the few appends that cause it.
    call_command("flush", interactive=False, verbosity=0)
    created: list[uuid.UUID] = []
    for operation in ops:
        perform(operation, created)
    project_everything()
    assert_tables_equal_the_fold()

    for projector in PROJECTORS.values():
        projector.rebuild()
    assert_tables_equal_the_fold()
