"""The stages in order, each a module with its own input and output:

1. cleanup, sentences: the article's text in sentences (`cleanup.clean`,
   `sentences.split_sentences`);
2. mentions: actors and places per sentence, numbers and dates on demand (`mentions`);
3. per sentence, per trigger (`sentence_events.read_sentence`): triggers
   (`sentence_triggers`), roles (`agents`, `targets`), attributes (`attributes`,
   `force_levels`), factuality (`factuality`);
4. article-level coreference (`coreference`) and merging (`merging`);
5. the output events (`ExtractedEvent`).

The registry is handed in by the caller; no stage reaches for a database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ingest.classify.cleanup import clean
from ingest.classify.coreference import resolve_article
from ingest.classify.dates import dateline
from ingest.classify.drafts import Draft
from ingest.classify.lexicon import Registry
from ingest.classify.mentions import read_mentions
from ingest.classify.merging import merge_article
from ingest.classify.sentence_events import ArticleContext, read_sentence
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
    mentions = read_mentions(sentences, registry, published)
    context = ArticleContext(
        registry,
        published,
        article.outlet,
        mentions.top_states,
        published.year if published else None,
    )
    drafts: list[Draft] = []
    for view in mentions.views:
        if not view.timeline_row:
            drafts.extend(read_sentence(view, context, drafts))
    merged = merge_article(resolve_article(drafts), registry)
    events = [_event(article.id, d, version, registry) for d in merged]
    return Extraction(events, cleaned.warnings, len(sentences), dict(mentions.people))


def _event(article_id: str, d: Draft, version: str, registry: Registry) -> ExtractedEvent:
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
        admin1=place.admin1 if place else None,
        geo_precision=place.geo_precision if place else None,
        actor_kind=registry.output_kind(d.actor),
        target_kind=registry.output_kind(d.target),
        registry_version=registry.version,
    )
