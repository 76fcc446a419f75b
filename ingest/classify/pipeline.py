"""The stages in order: cleanup -> sentences -> (actors, places, triggers, roles,
quantities, casualties, dates, factuality) per sentence -> assembly -> output events."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ingest.classify.assembly import Draft, read_article
from ingest.classify.cleanup import clean
from ingest.classify.dates import dateline
from ingest.classify.lexicon import Registry
from ingest.classify.sentences import split_sentences
from ingest.classify.types import ArticleInput, ExtractedEvent

if TYPE_CHECKING:
    from ingest.classify import Extraction


def run(article: ArticleInput, registry: Registry, version: str) -> Extraction:
    from ingest.classify import Extraction

    cleaned = clean(article.title, article.body, article.language)
    if not cleaned.usable:
        return Extraction([], cleaned.warnings, 0)
    sentences = split_sentences(cleaned.title, cleaned.body)
    published = article.published or dateline(cleaned.body.splitlines())
    drafts = read_article(sentences, registry, published, article.outlet)
    events = [_event(article.id, d, version) for d in drafts]
    return Extraction(events, cleaned.warnings, len(sentences))


def _event(article_id: str, d: Draft, version: str) -> ExtractedEvent:
    place = d.place
    return ExtractedEvent(
        article=article_id,
        type=d.type,
        actor=d.actor,
        target=d.target,
        location=place.name if place else None,
        country=place.country if place else None,
        quantity=d.quantity.as_dict() if d.quantity else None,
        killed=d.killed,
        injured=d.injured,
        occurred_on=d.when.value if d.when else None,
        date_precision=d.when.precision if d.when else None,
        deadline=d.deadline,
        status=d.status,
        source=d.source,
        evidence=" \u2026 ".join(d.evidence),
        confidence=d.confidence,
        classifier_version=version,
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
    )
