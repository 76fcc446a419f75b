"""Where a score comes from: the scorer run again on each event type's and each region's
share of the gold and the predictions, so a figure says which kinds of news it misses.

A type's share: the gold events that allow that type and the predictions of that type. A
region's share: the articles a manifest places there (`"region"` in the `manifest.json`
beside the articles); articles without one are "unknown".
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ingest.classify.lexicon import Registry
from ingest.evaluation.scoring import Score, score

Event = dict[str, Any]
WIDTH = 24
HEADER = (
    f"{'':<{WIDTH}} {'gold':>5} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6} "
    f"{'strict':>7}"
)


def regions_of(paths: Iterable[Path]) -> dict[str, str]:
    """Article id -> region, read from the manifests beside the articles."""
    regions: dict[str, str] = {}
    for path in paths:
        folder = path if path.is_dir() else path.parent
        manifest = folder / "manifest.json"
        if not manifest.is_file():
            continue
        try:
            entries = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        for stem, entry in entries.items():
            if isinstance(entry, dict) and entry.get("region"):
                regions[stem] = str(entry["region"])
    return regions


def by_type(gold: list[Event], pred: list[Event], registry: Registry) -> dict[str, Score]:
    types = sorted({t for g in gold for t in g["type"]} | {str(p.get("type")) for p in pred})
    return {
        t: score(
            [g for g in gold if t in g["type"]], [p for p in pred if p.get("type") == t], registry
        )
        for t in types
    }


def by_region(
    gold: list[Event], pred: list[Event], regions: dict[str, str], registry: Registry
) -> dict[str, Score]:
    def region(event: Event) -> str:
        return regions.get(str(event.get("article")), "unknown")

    names = sorted({region(e) for e in gold + pred})
    return {
        name: score(
            [g for g in gold if region(g) == name], [p for p in pred if region(p) == name], registry
        )
        for name in names
    }


def table(title: str, rows: dict[str, Score]) -> list[str]:
    lines = [f"by {title}:", HEADER]
    for name, s in rows.items():
        gold = s.tp + s.fn
        lines.append(
            f"{name[:WIDTH]:<{WIDTH}} {gold:>5} {s.tp:>4} {s.fp:>4} {s.fn:>4} {s.precision:>6.3f} "
            f"{s.recall:>6.3f} {s.f1:>6.3f} {s.strict_f1:>7.3f}"
        )
    return lines
