"""Evaluation use case: extract events from articles and score them against a gold file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from ingest.classify import extract
from ingest.classify.inputs import InputError, iter_articles
from ingest.classify.lexicon import Registry
from ingest.evaluation import breakdown
from ingest.evaluation.scoring import Score, score


class EvaluationError(ValueError):
    """A gold file or an input that cannot be read (one line for the user)."""


def read_gold(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise EvaluationError(f"no such gold file: {path}")
    gold = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            gold.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise EvaluationError(f"{path}:{number}: not JSON ({error.msg})") from None
    return gold


def predictions(
    paths: list[Path], input_format: str, published: date | None, registry: Registry
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    try:
        for article in iter_articles(paths, input_format, published):
            out.extend(event.to_json() for event in extract(article, registry))
    except InputError as error:
        raise EvaluationError(str(error)) from None
    return out


def evaluate_paths(
    gold_path: Path,
    paths: list[Path],
    registry: Registry,
    input_format: str = "text",
    published: date | None = None,
) -> Score:
    return evaluate_with_tables(gold_path, paths, registry, input_format, published)[0]


def evaluate_with_tables(
    gold_path: Path,
    paths: list[Path],
    registry: Registry,
    input_format: str = "text",
    published: date | None = None,
) -> tuple[Score, list[str]]:
    """The score, and the per-type and per-region tables of `breakdown`."""
    gold = read_gold(gold_path)
    pred = predictions(paths, input_format, published, registry)
    tables = [
        *breakdown.table("type", breakdown.by_type(gold, pred, registry)),
        *breakdown.table(
            "region", breakdown.by_region(gold, pred, breakdown.regions_of(paths), registry)
        ),
    ]
    return score(gold, pred, registry), tables
