"""The derived read models' collectors give the same rows however the incidents are split
among a rebuild's shares, and what they keep back (a stance's weight per day, an
ultimatum outcome per party and day) decides exactly what the whole list would."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from events.domain.incident_state import IncidentState, IncidentSummary
from events.projections.rules import stances, ultimatums

DAY0 = date(2024, 1, 1)
PARTIES = ["USA", "IRN", "KH"]


def _summary(
    n: int, kind: str, actor: str, target: str, day: int, happened: bool
) -> IncidentSummary:
    factuality = "asserted" if happened else "denied"
    return IncidentSummary(
        f"00000000-0000-4000-8000-{n:012d}",
        kind,
        actor,
        target,
        DAY0 + timedelta(days=day),
        "active",
        factuality,
    )


happenings = st.lists(
    st.tuples(
        st.sampled_from(["attack", "withdraw", "condemn", "support", "agree", "threaten"]),
        st.sampled_from(PARTIES),
        st.sampled_from(PARTIES),
        st.integers(0, 5),  # few days: several incidents a day, as in the news
        st.booleans(),
    ),
    max_size=60,
)


def _summaries(rows: list[tuple[str, str, str, int, bool]]) -> list[IncidentSummary]:
    return [_summary(i, *row) for i, row in enumerate(rows)]


@given(happenings, st.integers(1, 4))
def test_stance_rows_do_not_depend_on_how_the_incidents_are_split(
    rows: list[tuple[str, str, str, int, bool]], parts: int
) -> None:
    incidents = _summaries(rows)
    whole = stances.StanceGroups()
    for incident in incidents:
        whole.add(incident)
    split = [stances.StanceGroups() for _ in range(parts)]
    for i, incident in enumerate(reversed(incidents)):
        split[i % parts].add(incident)
    merged = split[0]
    for part in split[1:]:
        merged.merge(part)
    assert [r.to_json() for r in merged.rows(180.0)] == [r.to_json() for r in whole.rows(180.0)]


@given(happenings)
def test_a_stance_is_the_decayed_sum_of_its_incidents_with_the_newest_kept(
    rows: list[tuple[str, str, str, int, bool]],
) -> None:
    incidents = [s for s in _summaries(rows) if stances.stance_pair(s) and s.happened]
    for row in stances.stance_rows(incidents, 30.0):
        mine = sorted(
            (s.world_date, s.incident_id, s.type)
            for s in incidents
            if (s.actor, s.target) == (row.actor, row.target)
        )
        reference = mine[-1][0]
        expected = sum(
            stances.WEIGHTS[kind] * stances.decay((reference - on).days, 30.0)
            for on, _, kind in mine
        )
        assert abs(row.raw - expected) < 1e-9
        assert row.incident_count == len(mine)
        newest = list(reversed(mine))[: stances.LATEST_KEPT]
        assert [(e["on"], e["incident_id"]) for e in row.latest] == [
            (on.isoformat(), incident_id) for on, incident_id, _ in newest
        ]


def _ultimatum(n: int, issuer: str, addressee: str, day: int, deadline_day: int) -> IncidentState:
    on = (DAY0 + timedelta(days=day)).isoformat()
    deadline = (DAY0 + timedelta(days=deadline_day)).isoformat()
    return IncidentState(
        incident_id=f"10000000-0000-4000-8000-{n:012d}",
        stream_id="incident-x",
        version=1,
        fields={
            "type": "ultimatum",
            "actor": issuer,
            "target": addressee,
            "occurred_on": on,
            "deadline": f"{deadline}T12:00:00+00:00",
        },
        method="classifier",
        needs_review=False,
        first_recorded_at=f"{on}T00:00:00+00:00",
        last_recorded_at=f"{on}T00:00:00+00:00",
        sources=[{"article_id": 1, "outlet": "Wire", "evidence": "Leave within 48 hours."}],
    )


@settings(max_examples=300)
@given(
    happenings,
    st.lists(
        st.tuples(
            st.sampled_from(PARTIES),
            st.sampled_from(PARTIES),
            st.integers(0, 4),
            st.integers(0, 6),
        ),
        min_size=1,
        max_size=6,
    ),
    st.integers(1, 3),
)
def test_ultimatums_are_decided_as_by_every_later_incident_however_split(
    rows: list[tuple[str, str, str, int, bool]],
    given_ultimatums: list[tuple[str, str, int, int]],
    parts: int,
) -> None:
    others = _summaries(rows)
    candidates = [
        u
        for u in (_ultimatum(n, *spec) for n, spec in enumerate(given_ultimatums))
        if ultimatums.is_ultimatum(u)
    ]
    expected = sorted(
        (ultimatums.ultimatum_row(u, others).to_json() for u in candidates),
        key=lambda r: (r["issued_on"], r["incident_id"]),
    )
    split = [ultimatums.UltimatumInputs() for _ in range(parts)]
    for i, other in enumerate(others):
        split[i % parts].add_outcome(other)
    for i, candidate in enumerate(candidates):
        split[-1 - i % parts].add_ultimatum(candidate)
    merged = split[0]
    for part in split[1:]:
        merged.merge(part)
    assert [r.to_json() for r in merged.rows()] == expected
