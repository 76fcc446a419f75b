"""From an article's extracted events to incident commands in the log.

Each extracted event either opens an incident (`report_incident`) or, when an incident
already matches it (`ingest.matching`), corroborates it. An updated article (same
external id, new content hash) is compared with what its old version supported: matched
incidents stay as they are, incidents only the old version supported are retracted
("source updated"), the rest is new.

Everything happens in the caller's transaction: the events, the `IncidentKey` lookup rows
and the `IncidentSupport` rows commit together or not at all. On PostgreSQL, a
transaction-level advisory lock per (type, actor) serialises matching, so two workers
reading two reports of the same strike cannot both open an incident for it.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection

from events import services as incident_commands
from events import store
from events.domain import DomainError, IncidentFields, stream_id_for, validate_payload

from .classify.types import ExtractedEvent
from .matching import IncidentSignature, ParentMap, best_match
from .models import Actor, Article, IncidentKey, IncidentSupport

SOURCE_UPDATED = "source updated"


@dataclass
class BuildSummary:
    reported: list[uuid.UUID] = field(default_factory=list)
    corroborated: list[uuid.UUID] = field(default_factory=list)
    unchanged: list[uuid.UUID] = field(default_factory=list)
    retracted: list[uuid.UUID] = field(default_factory=list)
    released: list[uuid.UUID] = field(default_factory=list)  # other sources still hold it


def signature_of(event: ExtractedEvent) -> IncidentSignature:
    return IncidentSignature(
        type=event.type,
        actor=event.actor,
        target=event.target,
        location=event.location,
        country=event.country,
        occurred_on=event.occurred_on,
        date_precision=event.date_precision,
    )


def _signature_of_key(key: IncidentKey) -> IncidentSignature:
    return IncidentSignature(
        type=key.type,
        actor=key.actor,
        target=key.target or None,
        location=key.location or None,
        country=key.country or None,
        occurred_on=key.occurred_on,
        date_precision=key.date_precision or None,
    )


def incident_fields(event: ExtractedEvent) -> dict[str, Any]:
    quantity = event.quantity
    if quantity is not None:
        # The classifier may annotate a quantity; the incident keeps what it is.
        quantity = {"value": quantity.get("value"), "unit": quantity.get("unit")}
    return {
        "type": event.type,
        "actor": event.actor,
        "target": event.target,
        "location": event.location,
        "country": event.country,
        "latitude": event.latitude,
        "longitude": event.longitude,
        "quantity": quantity,
        "killed": event.killed,
        "injured": event.injured,
        "occurred_on": event.occurred_on,
        "date_precision": event.date_precision,
        "deadline": event.deadline,
        "status": event.status,
    }


def source_of(article: Article, event: ExtractedEvent) -> dict[str, Any]:
    return {
        "article_id": article.pk,
        "feed": article.feed.slug,
        "external_id": article.external_id,
        "url": article.url or None,
        "outlet": article.outlet or None,
        "title": article.title,
        "published_at": article.published_at,
        "speaker": event.source,
        "evidence": event.evidence,
        "confidence": event.confidence,
        "classifier_version": event.classifier_version,
        "status": event.status,
        "content_hash": article.content_hash,
    }


def _metadata(article: Article, classifier_version: str) -> dict[str, Any]:
    version_ref = f"article-{article.pk}@{article.content_hash[:16]}"
    return {
        "user": None,
        "source_article": article.pk,
        "feed": article.feed.slug,
        "content_hash": article.content_hash,
        "classifier_version": classifier_version,
        "causation_id": version_ref,
        "correlation_id": f"article-{article.pk}",
    }


def _event_id(article: Article, classifier_version: str, index: int, kind: str) -> uuid.UUID:
    return incident_commands.deterministic_id(
        "article", article.pk, article.content_hash, classifier_version, index, kind
    )


def _differences(incident_id: uuid.UUID, event: ExtractedEvent) -> dict[str, Any]:
    """What this source says that the incident's first report does not (another toll...)."""
    first = store.read_stream(stream_id_for(incident_id), up_to_version=1)
    reported = first[0].data if first else {}
    says = IncidentFields.model_validate(incident_fields(event)).model_dump(mode="json")
    return {k: v for k, v in says.items() if v is not None and reported.get(k) != v}


def check_payloads(article: Article, events: Sequence[ExtractedEvent]) -> None:
    """Refuse the whole article (DomainError, nothing written) if any event is invalid."""
    probe = uuid.UUID(int=0)
    for index, event in enumerate(events):
        try:
            validate_payload(
                "IncidentReported",
                {
                    **incident_fields(event),
                    "incident_id": str(probe),
                    "source": source_of(article, event),
                },
            )
        except DomainError as error:
            raise DomainError(f"extracted event {index}: {error}") from None


def _lock_matching(events: Iterable[ExtractedEvent]) -> None:
    """Serialise matching per (type, actor) until the transaction ends (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return  # SQLite: one writer at a time already
    keys = sorted({f"{e.type}|{e.actor}" for e in events if e.actor})
    with connection.cursor() as cursor:
        for key in keys:  # always in the same order: two workers cannot deadlock
            lock_id = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])


def _parents() -> ParentMap:
    return dict(Actor.objects.values_list("code", "parent_id"))


def _candidates(event: ExtractedEvent, excluded: set[uuid.UUID]) -> list[IncidentKey]:
    if not event.actor:
        return []
    keys = IncidentKey.objects.filter(type=event.type, actor=event.actor, active=True)
    return [k for k in keys.order_by("created_at") if k.incident_id not in excluded]


def build_incidents(
    *, article: Article, events: Sequence[ExtractedEvent], classifier_version: str
) -> BuildSummary:
    """Turn `article`'s extracted events into incident events. Run inside a transaction."""
    check_payloads(article, events)
    _lock_matching(events)
    parents = _parents()
    summary = BuildSummary()
    metadata = _metadata(article, classifier_version)
    old_supports = {
        s.incident_id: s
        for s in IncidentSupport.objects.filter(article=article, active=True).select_related(
            "incident"
        )
    }
    claimed: set[uuid.UUID] = set()
    review_below = settings.TRACKER_REVIEW_CONFIDENCE

    for index, event in enumerate(events):
        signature = signature_of(event)
        # What this version already claimed cannot be reported twice by it; what its old
        # version supported is the first place to look ("unchanged ones stay").
        previous = [
            (s.incident_id, _signature_of_key(s.incident))
            for s in old_supports.values()
            if s.incident_id not in claimed and s.incident.active
        ]
        matched = best_match(signature, previous, parents)
        if matched is not None:
            claimed.add(matched)
            support = old_supports[matched]
            support.content_hash, support.event_index = article.content_hash, index
            support.save(update_fields=["content_hash", "event_index"])
            summary.unchanged.append(matched)
            continue

        others = _candidates(event, claimed | set(old_supports))
        found = [(k.incident_id, _signature_of_key(k)) for k in others]
        matched = best_match(signature, found, parents)
        if matched is not None:
            incident_commands.corroborate_incident(
                incident_id=matched,
                source=source_of(article, event),
                reported=_differences(matched, event),
                metadata=metadata,
                event_id=_event_id(article, classifier_version, index, "corroborated"),
            )
            key = next(k for k in others if k.incident_id == matched)
            summary.corroborated.append(matched)
        else:
            matched = _event_id(article, classifier_version, index, "incident")
            incident_commands.report_incident(
                incident_id=matched,
                fields=incident_fields(event),
                source=source_of(article, event),
                needs_review=event.confidence < review_below,
                metadata=metadata,
                event_id=_event_id(article, classifier_version, index, "reported"),
            )
            key = IncidentKey.objects.create(
                incident_id=matched,
                type=event.type,
                actor=event.actor or "",
                target=event.target or "",
                location=event.location or "",
                country=(event.country or "").upper(),
                occurred_on=event.occurred_on,
                date_precision=event.date_precision or "",
            )
            summary.reported.append(matched)
        claimed.add(matched)
        # update_or_create: a support an older version gave up may be taken up again.
        IncidentSupport.objects.update_or_create(
            incident=key,
            article=article,
            defaults={"content_hash": article.content_hash, "event_index": index, "active": True},
        )

    for incident_id, support in old_supports.items():
        if incident_id in claimed:
            continue
        _withdraw_support(article, support, classifier_version, metadata, summary)
    return summary


def _withdraw_support(
    article: Article,
    support: IncidentSupport,
    classifier_version: str,
    metadata: dict[str, Any],
    summary: BuildSummary,
) -> None:
    support.active = False
    support.save(update_fields=["active"])
    still_reported = (
        IncidentSupport.objects.filter(incident_id=support.incident_id, active=True)
        .exclude(article=article)
        .exists()
    )
    if still_reported:
        summary.released.append(support.incident_id)
        return
    incident_commands.retract_incident(
        incident_id=support.incident_id,
        reason=SOURCE_UPDATED,
        article_id=article.pk,
        metadata=metadata,
        event_id=incident_commands.deterministic_id(
            "article",
            article.pk,
            article.content_hash,
            classifier_version,
            "retract",
            support.incident_id,
        ),
    )
    IncidentKey.objects.filter(incident_id=support.incident_id).update(active=False)
    summary.retracted.append(support.incident_id)
