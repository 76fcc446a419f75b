"""Shared helpers for the classifier tests: the shipped registry and a one-call reader."""

from __future__ import annotations

from datetime import date

from ingest.classify import extract_with_report
from ingest.classify.alias_matching import lowered
from ingest.classify.lexicon import Registry
from ingest.classify.types import ArticleInput, ExtractedEvent
from ingest.registry_cache import shipped_registry


def registry() -> Registry:
    """The registry the classifier reads with when no table answers: the shipped
    fixtures joined with the world knowledge base."""
    return shipped_registry()


def low(text: str) -> str:
    return lowered(text)


def read(
    body: str, title: str = "Report", published: date | None = date(2024, 3, 6)
) -> list[ExtractedEvent]:
    """Events of an article made of `title` and `body` (2024-03-06 is a Wednesday)."""
    return extract_with_report(ArticleInput("t", title, body, published), registry()).events


def one(events: list[ExtractedEvent], type_: str, actor: str) -> ExtractedEvent:
    found = [e for e in events if e.type == type_ and e.actor == actor]
    assert len(found) == 1, [(e.type, e.actor, e.target) for e in events]
    return found[0]


def codes_of(text: str) -> list[tuple[str, bool]]:
    """Each actor mention of `text` as (code, sponsor): a sponsor is named, not on stage."""
    from ingest.classify.actors import find_actor_mentions

    return [(m.code, m.sponsor) for m in find_actor_mentions(text, low(text), registry())]
