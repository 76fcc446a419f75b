"""Non-state actors (armed groups, coalitions, missions, intergovernmental bodies) from the
kept, sourced list data/armed_groups.json:
[{"code", "name", "kind", "aliases", "countries", "parent", "sponsors", "source"}, ...]."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def load_groups(path: Path, state_codes: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """The kept groups; a code that is also a state's ISO code ("BRN", Barisan Revolusi
    Nasional, is Brunei's) takes the suffix _GROUP, since codes name one actor each."""
    if not path.exists():
        return []
    groups = []
    for entry in json.loads(path.read_text(encoding="utf-8")):
        code = str(entry["code"])
        groups.append(
            {
                "code": f"{code}_GROUP" if code in state_codes else code,
                "name": str(entry["name"]),
                "kind": str(entry.get("kind") or "armed_group"),
                "aliases": [str(a) for a in entry.get("aliases") or ()],
                "countries": [str(c) for c in entry.get("countries") or ()],
                "parent": entry.get("parent") or None,
                "sponsors": [str(s) for s in entry.get("sponsors") or ()],
                "source": str(entry.get("source") or ""),
            }
        )
    return groups
