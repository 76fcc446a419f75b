"""The rebuild's fold hands each incident over as soon as its stream is final, once, in its
final state, and keeps only the streams still open (no database needed)."""

from __future__ import annotations

from typing import Any

from events.domain.fold import fold_logged
from events.domain.incident_state import IncidentState
from events.projections.engine.log_scan import LoggedEvent

RECORDED = "2024-03-01T10:00:00+00:00"
ONE, TWO = "6f1c2a4e-0000-4000-8000-000000000001", "6f1c2a4e-0000-4000-8000-000000000002"


def _report(incident_id: str) -> dict[str, Any]:
    return {
        "incident_id": incident_id,
        "type": "attack",
        "actor": "USA",
        "target": "KH",
        "source": {"article_id": 1, "outlet": "Wire", "evidence": "It happened."},
    }


def _log() -> list[LoggedEvent]:
    """Incident one: reported, verified, then its last event (a retraction) in the scan.
    Incident two: reported, and a later event of its stream lies beyond the scan."""
    return [
        LoggedEvent(f"incident-{ONE}", 1, "IncidentReported", _report(ONE), RECORDED),
        LoggedEvent(f"incident-{TWO}", 1, "IncidentReported", _report(TWO), RECORDED),
        LoggedEvent(f"incident-{ONE}", 2, "IncidentVerified", {"incident_id": ONE}, RECORDED),
        LoggedEvent(
            f"incident-{ONE}",
            3,
            "IncidentRetracted",
            {"incident_id": ONE, "reason": "wrong"},
            RECORDED,
            last=True,
        ),
        LoggedEvent("other-stream", 1, "SomethingElse", {}, RECORDED, last=True),
    ]


def test_a_final_stream_is_handed_over_once_in_its_final_state_and_not_kept() -> None:
    handed: list[IncidentState] = []
    kept = fold_logged(_log(), handed.append)
    assert [s.incident_id for s in handed] == [ONE]
    assert handed[0].version == 3 and handed[0].verified and handed[0].status == "retracted"
    assert list(kept) == [f"incident-{TWO}"]


def test_without_a_taker_every_incident_is_returned_as_the_plain_fold_gives_it() -> None:
    folded = fold_logged(_log())
    assert set(folded) == {f"incident-{ONE}", f"incident-{TWO}"}
    handed: list[IncidentState] = []
    kept = fold_logged(_log(), handed.append)
    assert [s.to_json() for s in [*handed, *kept.values()]] == [
        folded[f"incident-{ONE}"].to_json(),
        folded[f"incident-{TWO}"].to_json(),
    ]
