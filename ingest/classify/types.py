"""The classifier's input and output types: the contract between the classifier, the
`extract` command and the ingestion workers (../shared/spec/extraction.md)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class ArticleInput:
    id: str
    title: str
    body: str
    published: date | None = None
    outlet: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class ExtractedEvent:
    """One event read from an article: one JSON line of `manage.py extract`."""

    article: str
    type: str
    actor: str | None
    target: str | None
    location: str | None
    country: str | None
    quantity: dict[str, Any] | None
    killed: int | None
    injured: int | None
    occurred_on: date | None
    date_precision: str | None
    deadline: datetime | None
    status: str
    source: str | None
    evidence: str
    confidence: float
    classifier_version: str
    latitude: float | None = None
    longitude: float | None = None
    admin1: str | None = None
    geo_precision: str | None = None
    actor_kind: str | None = None
    target_kind: str | None = None
    registry_version: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["occurred_on"] = self.occurred_on.isoformat() if self.occurred_on else None
        out["deadline"] = self.deadline.isoformat() if self.deadline else None
        return out
