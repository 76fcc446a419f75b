"""From an article's extracted events to incident commands in the log.

Each extracted event either opens an incident (`report_incident`) or, when an incident
already matches it (`ingest.incidents.matching`), corroborates it. An updated article (same
external id, new content hash) is compared with what its old version supported: matched
incidents stay, taking the new figures the article now gives (`ingest.incidents.updates`);
the others get `IncidentRetracted` ("source updated", with the
article's id: that source is withdrawn, and the incident falls when no source is left),
the rest is new.

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
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q

from events import services as incident_commands
from events import store
from events.domain import (
    SOURCE_UPDATED,
    DomainError,
    IncidentFields,
    stream_id_for,
    validate_payload,
)
from ingest.classify.types import ExtractedEvent
from ingest.models import Article, IncidentKey, IncidentSupport
from registry.models import Actor

from .matching import (
    DATE_TOLERANCE,
    UNDATED_LOOKBACK,
    IncidentSignature,
    ParentMap,
    best_match,
    date_window,
)
from .updates import updated_figures


@dataclass
class BuildSummary:
    reported: list[uuid.UUID] = field(default_factory=list)
    corroborated: list[uuid.UUID] = field(default_factory=list)
    unchanged: list[uuid.UUID] = field(default_factory=list)
    # Still reported by the updated article, with the new figures it now gives.
    corrected: list[uuid.UUID] = field(default_factory=list)
    retracted: list[uuid.UUID] = field(default_factory=list)
    # Withdrawn by this article but still reported by another: the incident stands.
    released: list[uuid.UUID] = field(default_factory=list)
    repeated: int = 0  # events the article states twice (headline and body)

    @property
    def changed(self) -> bool:
        """Whether anything was appended to the log."""
        return bool(
            self.reported or self.corroborated or self.corrected or self.retracted or self.released
        )


def signature_of(event: ExtractedEvent, article: Article) -> IncidentSignature:
    return IncidentSignature(
        reported_on=article.published_at.date() if article.published_at else None,
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
        reported_on=key.reported_on,
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


def _candidates(signature: IncidentSignature, excluded: set[uuid.UUID]) -> list[IncidentKey]:
    """The incidents that may match, narrowed in SQL by time; `matches` decides exactly."""
    if not signature.actor:
        return []
    keys = IncidentKey.objects.filter(type=signature.type, actor=signature.actor, active=True)
    window = date_window(signature.occurred_on, signature.date_precision, signature.reported_on)
    undated = Q(occurred_on__isnull=True)
    if window is None:
        keys = keys.filter(undated, reported_on__isnull=True)
    else:
        start, end = window[0] - DATE_TOLERANCE, window[1] + DATE_TOLERANCE
        # Widened by the widest window a stored incident can have: a year, or the
        # month before an undated report.
        keys = keys.filter(
            Q(occurred_on__range=(start - timedelta(days=366), end))
            | (undated & Q(reported_on__range=(start, end + UNDATED_LOOKBACK)))
        )
    return [k for k in keys.order_by("created_at") if k.incident_id not in excluded]


def build_incidents(
    *, article: Article, events: Sequence[ExtractedEvent], classifier_version: str
) -> BuildSummary:
    """Turn `article`'s extracted events into incident events. Run inside a transaction."""
    check_payloads(article, events)
    _lock_matching(events)
    builder = _ArticleIncidents(article, classifier_version)
    for index, event in enumerate(events):
        builder.place(index, event)
    builder.withdraw_unclaimed()
    return builder.summary


class _ArticleIncidents:
    """One article version's pass over its events, in the order the classifier gave them.

    Each event, in turn: the same happening as an incident this version already placed
    (the article repeats itself: nothing new), or one its old version supported (it
    stays), or another article's incident (corroborate), or a new incident (report).
    """

    def __init__(self, article: Article, classifier_version: str) -> None:
        self.article, self.classifier_version = article, classifier_version
        self.metadata = _metadata(article, classifier_version)
        self.parents = _parents()
        self.summary = BuildSummary()
        self.old_supports = {
            s.incident_id: s
            for s in IncidentSupport.objects.filter(article=article, active=True)
            .select_related("incident")
            .order_by("event_index")
        }
        self.claimed: dict[uuid.UUID, IncidentSignature] = {}

    def place(self, index: int, event: ExtractedEvent) -> None:
        signature = signature_of(event, self.article)
        if best_match(signature, self.claimed.items(), self.parents) is not None:
            self.summary.repeated += 1
            return
        previous = [
            (s.incident_id, _signature_of_key(s.incident))
            for s in self.old_supports.values()
            if s.incident_id not in self.claimed and s.incident.active
        ]
        matched = best_match(signature, previous, self.parents)
        if matched is not None:
            self._stay(matched, index, event)
        else:
            others = {
                k.incident_id: k
                for k in _candidates(signature, set(self.claimed) | set(self.old_supports))
            }
            found = [(i, _signature_of_key(k)) for i, k in others.items()]
            matched = best_match(signature, found, self.parents)
            if matched is not None:
                self._corroborate(others[matched], index, event)
            else:
                matched = self._report(index, event, signature)
        self.claimed[matched] = signature

    def _event_id(self, index: int, kind: str) -> uuid.UUID:
        return _event_id(self.article, self.classifier_version, index, kind)

    def _stay(self, incident_id: uuid.UUID, index: int, event: ExtractedEvent) -> None:
        support = self.old_supports[incident_id]
        support.content_hash, support.event_index = self.article.content_hash, index
        support.save(update_fields=["content_hash", "event_index"])
        changes = updated_figures(
            incident_id=incident_id, article_id=self.article.pk, says=incident_fields(event)
        )
        if not changes:
            self.summary.unchanged.append(incident_id)
            return
        incident_commands.correct_incident_from_source(
            incident_id=incident_id,
            changes=changes,
            metadata=self.metadata,
            event_id=self._event_id(index, "corrected"),
        )
        self.summary.corrected.append(incident_id)

    def _corroborate(self, key: IncidentKey, index: int, event: ExtractedEvent) -> None:
        incident_commands.corroborate_incident(
            incident_id=key.incident_id,
            source=source_of(self.article, event),
            reported=_differences(key.incident_id, event),
            metadata=self.metadata,
            event_id=self._event_id(index, "corroborated"),
        )
        self._support(key, index)
        self.summary.corroborated.append(key.incident_id)

    def _report(self, index: int, event: ExtractedEvent, signature: IncidentSignature) -> uuid.UUID:
        incident_id = self._event_id(index, "incident")
        incident_commands.report_incident(
            incident_id=incident_id,
            fields=incident_fields(event),
            source=source_of(self.article, event),
            needs_review=event.confidence < settings.TRACKER_REVIEW_CONFIDENCE,
            metadata=self.metadata,
            event_id=self._event_id(index, "reported"),
        )
        # The report's lookup row was written with it (ingest.incidents.keys).
        key = IncidentKey.objects.get(incident_id=incident_id)
        self._support(key, index)
        self.summary.reported.append(incident_id)
        return incident_id

    def _support(self, key: IncidentKey, index: int) -> None:
        # update_or_create: a support an older version gave up may be taken up again.
        IncidentSupport.objects.update_or_create(
            incident=key,
            article=self.article,
            defaults={
                "content_hash": self.article.content_hash,
                "event_index": index,
                "active": True,
            },
        )

    def withdraw_unclaimed(self) -> None:
        for incident_id, support in self.old_supports.items():
            if incident_id not in self.claimed:
                _withdraw_support(
                    self.article, support, self.classifier_version, self.metadata, self.summary
                )


def _withdraw_support(
    article: Article,
    support: IncidentSupport,
    classifier_version: str,
    metadata: dict[str, Any],
    summary: BuildSummary,
) -> None:
    """The article's new version no longer reports this incident: say so in the log.

    `IncidentRetracted` with the article's id withdraws that one source; the incident
    itself is retracted only when no other source still reports it (the projections fold
    it that way), so the lookup row stays matchable while another article holds it.
    """
    support.active = False
    support.save(update_fields=["active"])
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
    still_reported = IncidentSupport.objects.filter(
        incident_id=support.incident_id, active=True
    ).exists()
    if still_reported:
        summary.released.append(support.incident_id)
        return
    IncidentKey.objects.filter(incident_id=support.incident_id).update(active=False)
    summary.retracted.append(support.incident_id)
