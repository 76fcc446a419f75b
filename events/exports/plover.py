"""This project's incidents as PLOVER-shaped records (one JSON object per line).

The mapping (documented for readers in events/exports/README.md):

  tracker type   PLOVER event_type   mode
  attack         ASSAULT             -
  capture        COERCE              seize
  deploy         MOBILIZE            -
  force_level    MOBILIZE            -      (a stated standing force: a mobilisation)
  withdraw       RETREAT             military
  threaten       THREATEN            -
  ultimatum      THREATEN            ultimatum
  demand         REQUEST             -
  condemn        ACCUSE              disapprove
  deny           REJECT              -
  support        SUPPORT             -
  agree          AGREE               -

`actor` and `recipient` are the incident's actor and target (code, registry name and
kind when known); `factuality` is this project's (asserted, reported, claimed, denied,
planned), which PLOVER has no field for.
"""

from __future__ import annotations

from typing import Any

from events.domain.incident_state import IncidentState
from events.exports.rows import RegistryFacts

PLOVER_TYPES: dict[str, tuple[str, str | None]] = {
    "attack": ("ASSAULT", None),
    "capture": ("COERCE", "seize"),
    "deploy": ("MOBILIZE", None),
    "force_level": ("MOBILIZE", None),
    "withdraw": ("RETREAT", "military"),
    "threaten": ("THREATEN", None),
    "ultimatum": ("THREATEN", "ultimatum"),
    "demand": ("REQUEST", None),
    "condemn": ("ACCUSE", "disapprove"),
    "deny": ("REJECT", None),
    "support": ("SUPPORT", None),
    "agree": ("AGREE", None),
}


def _party(code: str | None, facts: RegistryFacts) -> dict[str, Any] | None:
    if not code:
        return None
    return {
        "code": code,
        "name": facts.actor_names.get(code),
        "kind": facts.actor_kinds.get(code),
    }


def plover_record(state: IncidentState, facts: RegistryFacts) -> dict[str, Any]:
    fields = state.fields
    event_type, mode = PLOVER_TYPES[state.type]
    place = facts.place(state)
    location = None
    if state.location or state.country:
        location = {
            "name": state.location,
            "country": state.country,
            "admin1": place.admin1 if place else None,
            "lat": fields.get("latitude"),
            "lon": fields.get("longitude"),
            "geo_precision": place.precision if place else None,
        }
    quantity = fields.get("quantity") or {}
    return {
        "id": state.incident_id,
        "date": state.world_date.isoformat(),
        "date_precision": fields.get("date_precision"),
        "event_type": event_type,
        "mode": mode,
        "context": None,
        "actor": _party(state.actor, facts),
        "recipient": _party(state.target, facts),
        "location": location,
        "fatalities": fields.get("killed"),
        "injured": fields.get("injured"),
        "size": quantity.get("value"),
        "size_unit": quantity.get("unit"),
        "sources": [
            {
                "outlet": s.get("outlet"),
                "url": s.get("url"),
                "title": s.get("title"),
                "published_at": s.get("published_at"),
                "evidence": s.get("evidence", ""),
            }
            for s in state.active_sources
        ],
        "factuality": state.factuality,
        "tracker": {
            "type": state.type,
            "status": state.status,
            "verified": state.verified,
            "confidence": state.confidence,
            "deadline": fields.get("deadline"),
            "last_changed": state.last_recorded_at,
        },
    }
