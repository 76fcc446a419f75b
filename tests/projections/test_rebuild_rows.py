"""The rebuild's fast paths give exactly what the generic ones give (no database needed)."""

from __future__ import annotations

from typing import Any

from events.projections.bulk import copy_line
from events.projections.incident_state import IncidentState, fold_logged
from events.projections.incidents import (
    incident_line,
    incident_values,
    source_lines,
    source_values,
)

RECORDED = "2024-03-01T10:00:00.123456+00:00"


def _awkward_states() -> list[IncidentState]:
    report = {
        "incident_id": "6f1c2a4e-0000-4000-8000-000000000001",
        "type": "deploy",
        "actor": "USA",
        "target": None,
        "location": "Mosul\tcity\\old",
        "country": "IRQ",
        "quantity": {"value": 1500, "unit": "troops"},
        "occurred_on": None,
        "status": "asserted",
        "needs_review": True,
        "source": {
            "article_id": 7,
            "outlet": "Wire\\Desk",
            "url": "https://x.example/a\tb",
            "evidence": 'tab\there, new\nline, back\\slash \\N, "q", Mosul/الموصل',
            "published_at": "2024-02-29T08:00:00Z",
            "confidence": 0.75,
        },
    }
    plain = {
        "incident_id": "6f1c2a4e-0000-4000-8000-000000000002",
        "type": "attack",
        "actor": None,
        "target": "KH",
        "occurred_on": "2024-02-28",
        "source": {"outlet": None},
    }
    events: list[tuple[str, int, str, dict[str, Any], str]] = [
        ("incident-1", 1, "IncidentReported", report, RECORDED),
        ("incident-2", 1, "IncidentReported", plain, RECORDED),
        ("incident-2", 2, "IncidentVerified", {"incident_id": plain["incident_id"]}, RECORDED),
        (
            "incident-1",
            2,
            "IncidentRetracted",
            {"incident_id": report["incident_id"], "reason": "gone", "article_id": 7},
            RECORDED,
        ),
    ]
    return list(fold_logged(events).values())


def test_incident_lines_equal_the_generic_copy_lines() -> None:
    states = _awkward_states()
    assert [incident_line(s) for s in states] == [copy_line(incident_values(s)) for s in states]
    # Spot checks that the comparison covers what matters: escapes, NULLs, booleans.
    first = incident_line(states[0])
    assert "Mosul\\tcity\\\\old" in first and "\t\\N\t" in first
    assert "\tretracted\tf\tt\t" in first


def test_source_lines_equal_the_generic_copy_lines() -> None:
    states = _awkward_states()
    lines = list(source_lines(states))
    assert lines == [copy_line(values) for values in source_values(states)]
    # The withdrawn source of the retracted incident has no row; the other one's NULLs.
    assert lines == ["6f1c2a4e-0000-4000-8000-000000000002\t\\N\t\\N\t\\N\n"]
