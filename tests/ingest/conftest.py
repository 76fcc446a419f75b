"""Shared makers for the ingestion tests: feeds, articles, hand-made extracted events."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from ingest.classify.types import ExtractedEvent
from ingest.models import Article, Feed
from ingest.payloads import content_hash
from registry.models import Actor

_numbers = itertools.count(1)


@pytest.fixture
def feed(db: None) -> Feed:
    return Feed.objects.create(slug="wire", name="Wire", secret="wire-secret-0123456789")


@pytest.fixture
def make_article(feed: Feed) -> Callable[..., Article]:
    def make(external_id: str | None = None, body: str | None = None, **fields: Any) -> Article:
        n = next(_numbers)
        external_id = external_id or f"art-{n}"
        body = body or f"Body of article {external_id} number {n}."
        title = fields.pop("title", f"Title {external_id}")
        return Article.objects.create(
            feed=feed,
            external_id=external_id,
            url=f"https://wire.example/{external_id}/{n}",
            title=title,
            body=body,
            content_hash=content_hash(title, body),
            **fields,
        )

    return make


@pytest.fixture
def militia_registry(db: None) -> None:
    """The corner of the registry the seeds' Baghdad strike needs (HN and KIA under PMF)."""
    iraq, _ = Actor.objects.get_or_create(code="IRQ", defaults={"name": "Iraq", "kind": "state"})
    pmf, _ = Actor.objects.get_or_create(
        code="PMF", defaults={"name": "PMF", "kind": "militia_umbrella", "parent": iraq}
    )
    for code in ("HN", "KIA", "KH"):
        Actor.objects.get_or_create(
            code=code, defaults={"name": code, "kind": "militia", "parent": pmf}
        )


def extracted(article: Article | str = "a", **overrides: Any) -> ExtractedEvent:
    fields: dict[str, Any] = {
        "article": str(article.pk) if isinstance(article, Article) else article,
        "type": "attack",
        "actor": "USA",
        "target": "HN",
        "location": "Baghdad",
        "country": "IRQ",
        "quantity": None,
        "killed": 2,
        "injured": None,
        "occurred_on": date(2024, 1, 4),
        "date_precision": "day",
        "deadline": None,
        "status": "asserted",
        "source": None,
        "evidence": "A US drone strike on Jan. 4 targeted a PMF base in Baghdad.",
        "confidence": 0.9,
        "classifier_version": "test-1",
    }
    fields.update(overrides)
    return ExtractedEvent(**fields)
