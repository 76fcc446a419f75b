"""An updated article that changes the figures of an incident it still reports: the
incident takes the new figures, and its history says why (real classifier, real log)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from rest_framework.test import APIClient

from events import store
from events.domain import stream_id_for
from ingest import services
from ingest.models import Feed, IncidentSupport
from ingest.payloads import ArticleDraft
from tests.support.projections import project_everything

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Turkish strike in Duhok"
STRIKE = (
    "Turkish warplanes struck a PKK camp near Duhok in northern Iraq on Monday, killing "
    "{toll} militants, the Turkish defence ministry said."
)


def push(feed: Feed, toll: str, version: int) -> int:
    draft = ArticleDraft(
        external_id="duhok-strike",
        title=TITLE,
        body=STRIKE.format(toll=toll),
        url="https://wire.example/duhok-strike",
        published_at=datetime(2024, 3, 6, 9, tzinfo=UTC),
        sequence=version,
    )
    result = services.receive_articles(feed=feed, drafts=[draft], enqueue=False)
    [article_id] = result.to_classify
    services.classify_article(article_id=article_id)
    return article_id


def test_an_update_from_five_to_six_dead_corrects_the_incident(feed: Feed) -> None:
    article_id = push(feed, "five", 1)
    [incident_id] = IncidentSupport.objects.filter(article_id=article_id).values_list(
        "incident_id", flat=True
    )
    project_everything()
    api = APIClient()
    assert api.get(f"/api/incidents/{incident_id}/").json()["killed"] == 5

    assert push(feed, "six", 2) == article_id  # the same article, a new version
    project_everything()

    detail = api.get(f"/api/incidents/{incident_id}/").json()
    assert detail["killed"] == 6
    assert [(c["changes"], c["reason"]) for c in detail["corrections"]] == [
        ({"killed": 6}, "source updated")
    ]
    last = store.read_stream(stream_id_for(incident_id))[-1]
    assert last.type == "IncidentCorrected"
    assert last.metadata["source_article"] == article_id
    # Still one incident, still supported by the article: nothing retracted.
    assert detail["status"] == "active"
    assert IncidentSupport.objects.filter(article_id=article_id, active=True).count() == 1


def test_an_update_that_repeats_the_figures_corrects_nothing(feed: Feed) -> None:
    article_id = push(feed, "five", 1)
    [incident_id] = IncidentSupport.objects.filter(article_id=article_id).values_list(
        "incident_id", flat=True
    )
    before = store.stream_version(stream_id_for(incident_id))
    draft = ArticleDraft(
        external_id="duhok-strike",
        title=TITLE,
        body=STRIKE.format(toll="five") + " The camp was used by the group's fighters.",
        url="https://wire.example/duhok-strike",
        published_at=datetime(2024, 3, 6, 9, tzinfo=UTC),
        sequence=2,
    )
    services.receive_articles(feed=feed, drafts=[draft], enqueue=False)
    services.classify_article(article_id=article_id)
    assert store.stream_version(stream_id_for(incident_id)) == before


def test_the_article_page_shows_what_its_update_changed(feed: Feed) -> None:
    from django.contrib.auth.models import User
    from django.test import Client

    article_id = push(feed, "five", 1)
    push(feed, "six", 2)
    project_everything()
    client = Client()
    client.force_login(User.objects.create_superuser("chief", "chief@example.org", "x"))
    page = client.get(f"/admin/ingest/article/{article_id}/change/").text
    assert "Changed by its updates" in page
    assert "killed 5 &rarr; 6 (source updated)" in page or "killed 5 → 6 (source updated)" in page
