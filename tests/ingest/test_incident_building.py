"""Extracted events to incident events, against the real database and the real log.

The events are hand-made ExtractedEvent lists: the contract the classifier fulfils, so
the incident rules are proven whatever the classifier reads from a given text.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

import pytest
from django.db import connection, transaction

from events import store
from events.domain import DomainError, stream_id_for
from ingest.classify.types import ExtractedEvent
from ingest.incidents.building import BuildSummary, build_incidents
from ingest.models import Article, IncidentKey, IncidentSupport
from ingest.payloads import content_hash

from .conftest import extracted

pytestmark = pytest.mark.django_db(transaction=True)


def build(article: Article, events: Sequence[ExtractedEvent]) -> BuildSummary:
    with transaction.atomic():
        return build_incidents(article=article, events=events, classifier_version="test-1")


def incident_events(incident_id: object) -> list[store.RecordedEvent]:
    return store.read_stream(stream_id_for(str(incident_id)))


def log_size() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM events_event")
        return int(cursor.fetchone()[0])


def update_body(article: Article, body: str) -> Article:
    article.body = body
    article.content_hash = content_hash(article.title, body)
    article.save()
    return article


def test_two_reports_of_the_baghdad_strike_make_one_incident_with_two_sources(
    make_article: Callable[..., Article], militia_registry: None
) -> None:
    roundup, summary = make_article("003"), make_article("004")
    first = build(roundup, [extracted(roundup, target="HN", killed=2)])
    second = build(summary, [extracted(summary, target="KIA", killed=4, evidence="4 killed")])

    [incident] = first.reported
    assert second.corroborated == [incident] and not second.reported
    reported, corroborated = incident_events(incident)
    assert reported.type == "IncidentReported"
    assert reported.data["source"]["article_id"] == roundup.pk
    assert reported.data["source"]["evidence"].startswith("A US drone strike")
    assert reported.metadata["source_article"] == roundup.pk
    assert corroborated.type == "IncidentCorroborated"
    assert corroborated.data["source"]["article_id"] == summary.pk
    assert corroborated.data["reported"] == {"target": "KIA", "killed": 4}
    assert IncidentSupport.objects.filter(incident_id=incident).count() == 2


@pytest.mark.parametrize(
    "other",
    [
        {"type": "deploy"},
        {"actor": "GBR"},
        {"occurred_on": date(2024, 1, 7)},
        {"location": "Damascus", "country": "SYR"},
        {"target": "IRN"},
    ],
)
def test_a_different_happening_is_a_new_incident(
    make_article: Callable[..., Article], militia_registry: None, other: dict[str, object]
) -> None:
    a, b = make_article(), make_article()
    build(a, [extracted(a)])
    second = build(b, [extracted(b, **other)])
    assert len(second.reported) == 1 and not second.corroborated
    assert IncidentKey.objects.count() == 2


def test_an_undated_report_matches_only_around_its_publication(
    make_article: Callable[..., Article],
) -> None:
    dated = make_article()
    [incident] = build(dated, [extracted(dated)]).reported  # 4 January 2024
    days_later = make_article(published_at=datetime(2024, 1, 5, tzinfo=UTC))
    years_earlier = make_article(published_at=datetime(2020, 1, 5, tzinfo=UTC))
    unpublished = make_article()
    assert build(days_later, [extracted(days_later, occurred_on=None)]).corroborated == [incident]
    assert build(years_earlier, [extracted(years_earlier, occurred_on=None)]).reported
    assert build(unpublished, [extracted(unpublished, occurred_on=None)]).reported


def test_an_article_that_states_an_event_twice_reports_it_once(
    make_article: Callable[..., Article],
) -> None:
    article = make_article()
    summary = build(article, [extracted(article), extracted(article, killed=3, target=None)])
    assert len(summary.reported) == 1 and summary.repeated == 1
    assert log_size() == 1


def test_running_twice_appends_nothing(make_article: Callable[..., Article]) -> None:
    article = make_article()
    events = [extracted(article), extracted(article, type="condemn", actor="IRQ", target="USA")]
    build(article, events)
    before = log_size()
    again = build(article, events)
    assert log_size() == before == 2
    assert len(again.unchanged) == 2 and not again.reported


def test_an_updated_article_retracts_what_only_it_said_and_reports_what_is_new(
    make_article: Callable[..., Article],
) -> None:
    article = make_article()
    strike = extracted(article)
    condemnation = extracted(article, type="condemn", actor="IRQ", target="USA")
    first = build(article, [strike, condemnation])
    strike_id, condemnation_id = first.reported

    update_body(article, "The corrected text: no condemnation, but a deployment.")
    deployment = extracted(article, type="deploy", target=None, killed=None)
    second = build(article, [extracted(article, killed=3), deployment])

    # The strike stays; its new toll is the source's update (issue 16), not a new incident.
    assert second.corrected == [strike_id] and not second.unchanged
    assert second.retracted == [condemnation_id]
    assert len(second.reported) == 1
    strike_events = incident_events(strike_id)
    assert [e.type for e in strike_events] == ["IncidentReported", "IncidentCorrected"]
    assert strike_events[-1].data["changes"] == {"killed": 3}
    assert strike_events[-1].data["reason"] == "source updated"
    retraction = incident_events(condemnation_id)[-1]
    assert retraction.type == "IncidentRetracted"
    assert retraction.data["reason"] == "source updated"
    assert retraction.data["article_id"] == article.pk
    assert not IncidentKey.objects.get(incident_id=condemnation_id).active


def test_an_incident_other_sources_still_report_only_loses_the_updated_source(
    make_article: Callable[..., Article],
) -> None:
    a, b = make_article(), make_article()
    [incident] = build(a, [extracted(a)]).reported
    build(b, [extracted(b)])
    update_body(a, "Nothing about the strike any more.")
    summary = build(a, [])
    assert summary.released == [incident] and not summary.retracted
    withdrawal = incident_events(incident)[-1]
    assert withdrawal.type == "IncidentRetracted"
    assert withdrawal.data["article_id"] == a.pk
    assert IncidentKey.objects.get(incident_id=incident).active  # b still reports it
    later = make_article()
    assert build(later, [extracted(later)]).corroborated == [incident]


def test_low_confidence_incidents_are_flagged_for_review(
    make_article: Callable[..., Article], settings: object
) -> None:
    settings.TRACKER_REVIEW_CONFIDENCE = 0.6  # type: ignore[attr-defined]
    article = make_article()
    sure, unsure = build(
        article, [extracted(article), extracted(article, type="deploy", confidence=0.3)]
    ).reported
    assert incident_events(sure)[0].data["needs_review"] is False
    assert incident_events(unsure)[0].data["needs_review"] is True


def test_an_invalid_event_refuses_the_whole_article_and_writes_nothing(
    make_article: Callable[..., Article],
) -> None:
    article = make_article()
    with pytest.raises(DomainError, match=r"extracted event 1: .*type"):
        build(article, [extracted(article), extracted(article, type="explode")])
    assert log_size() == 0
    assert not IncidentKey.objects.exists() and not IncidentSupport.objects.exists()


@pytest.mark.postgres
def test_two_workers_reading_the_same_strike_at_once_open_one_incident(
    make_article: Callable[..., Article], militia_registry: None
) -> None:
    articles = [make_article() for _ in range(6)]
    start = threading.Barrier(len(articles))
    errors: list[BaseException] = []

    def worker(article: Article) -> None:
        try:
            start.wait()
            build(article, [extracted(article, target="KIA" if article.pk % 2 else "HN")])
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(a,)) for a in articles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    [key] = IncidentKey.objects.all()
    events = incident_events(key.incident_id)
    assert [e.type for e in events].count("IncidentReported") == 1
    assert len(events) == len(articles)
