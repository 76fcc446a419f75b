"""The classifier: news articles in, typed conflict events out.

`extract(article, registry)` is the one entry point (the `extract` command and the Celery
workers both call it, each passing the registry it reads by: `ingest.registry.current_registry()`
or a fixture registry). It is pure: the same article, registry and CLASSIFIER_VERSION give
the same events, and it never writes anywhere nor reaches for a database.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ingest.classify.types import ArticleInput, ExtractedEvent

if TYPE_CHECKING:
    from ingest.classify.lexicon import Registry

CLASSIFIER_VERSION = "rules-2026.11.8"

logger = logging.getLogger("ingest.classify")

__all__ = [
    "CLASSIFIER_VERSION",
    "ArticleInput",
    "ExtractedEvent",
    "Extraction",
    "extract",
    "extract_with_report",
]


@dataclass
class Extraction:
    events: list[ExtractedEvent]
    warnings: list[str] = field(default_factory=list)
    sentences: int = 0
    # people the article introduced with a title ("Kenyan President William Ruto"):
    # name -> actor code, proposed to editors as learned aliases
    people: dict[str, str] = field(default_factory=dict)


def extract_with_report(article: ArticleInput, registry: Registry) -> Extraction:
    """The events of one article plus the warnings met on the way (empty, HTML, language)."""
    from ingest.classify.pipeline import run

    return run(article, registry, CLASSIFIER_VERSION)


def extract(article: ArticleInput, registry: Registry) -> list[ExtractedEvent]:
    result = extract_with_report(article, registry)
    for warning in result.warnings:
        logger.warning("article %s: %s", article.id, warning)
    return result.events
