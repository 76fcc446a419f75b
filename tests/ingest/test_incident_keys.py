"""Editors' commands change what the next article is matched against.

A merged or retracted incident takes no new sources; a corrected one is matched on its
corrected fields; one an editor added by hand is corroborated like any other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from events import services, store
from events.domain import stream_id_for
from ingest.classify.types import ExtractedEvent
from ingest.incidents.building import BuildSummary, build_incidents
from ingest.models import Article, IncidentKey

from .conftest import extracted

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def editor() -> User:
    return get_user_model().objects.create_user("desk", password="x")


def build(article: Article, events: Sequence[ExtractedEvent]) -> BuildSummary:
    with transaction.atomic():
        return build_incidents(article=article, events=events, classifier_version="test-1")


def version(incident_id: object) -> int:
    return store.stream_version(stream_id_for(str(incident_id)))


def test_a_retracted_incident_takes_no_new_sources(
    make_article: Callable[..., Article], editor: User
) -> None:
    first, second = make_article("one"), make_article("two")
    [bogus] = build(first, [extracted(first)]).reported
    services.retract_incident_by_editor(
        incident_id=bogus, reason="misread", editor=editor, expected_version=version(bogus)
    )
    assert IncidentKey.objects.get(incident_id=bogus).active is False

    later = build(second, [extracted(second)])
    assert later.corroborated == [] and len(later.reported) == 1
    assert version(bogus) == 2, "nothing was appended to the retracted incident"


def test_a_merged_duplicate_takes_no_new_sources(
    make_article: Callable[..., Article], editor: User
) -> None:
    a, b, c = make_article("a"), make_article("b"), make_article("c")
    [survivor] = build(a, [extracted(a, occurred_on=date(2024, 1, 4))]).reported
    # Another date beyond the tolerance: the rule made it a second incident...
    [duplicate] = build(b, [extracted(b, occurred_on=date(2024, 1, 9))]).reported
    # ...which an editor merges; a third article dated like the duplicate arrives later.
    services.merge_incidents(
        survivor_id=survivor,
        duplicates={duplicate: version(duplicate)},
        survivor_version=version(survivor),
        editor=editor,
    )
    assert IncidentKey.objects.get(incident_id=duplicate).active is False
    later = build(c, [extracted(c, occurred_on=date(2024, 1, 9))])
    assert duplicate not in later.corroborated
    assert [e.type for e in store.read_stream(stream_id_for(duplicate))] == [
        "IncidentReported",
        "IncidentMerged",
    ]


def test_a_correction_is_what_the_next_article_is_matched_on(
    make_article: Callable[..., Article], editor: User
) -> None:
    first, second = make_article("first"), make_article("second")
    [incident] = build(first, [extracted(first, actor="GBR")]).reported
    services.correct_incident(
        incident_id=incident,
        proposed={"actor": "USA"},
        reason="the strike was American",
        editor=editor,
        expected_version=version(incident),
    )
    assert IncidentKey.objects.get(incident_id=incident).actor == "USA"
    later = build(second, [extracted(second, actor="USA")])
    assert later.corroborated == [incident]


def test_an_incident_added_by_hand_is_corroborated_by_the_next_article(
    make_article: Callable[..., Article], editor: User
) -> None:
    recorded = services.report_incident_by_editor(
        fields={
            "type": "attack",
            "actor": "USA",
            "target": "HN",
            "location": "Baghdad",
            "country": "IRQ",
            "occurred_on": "2024-01-04",
            "date_precision": "day",
        },
        evidence="Our correspondent saw the strike.",
        editor=editor,
    )
    incident = recorded.data["incident_id"]
    key = IncidentKey.objects.get(incident_id=incident)
    assert (key.type, key.actor, key.occurred_on) == ("attack", "USA", date(2024, 1, 4))
    article = make_article("wire")
    assert [str(i) for i in build(article, [extracted(article)]).corroborated] == [incident]
