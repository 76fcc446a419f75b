"""Articles in the admin: their state, their incidents, and classifying one again."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from ingest.models import ArticleStatus
from tests.support.projections import project_everything

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_article_page_shows_status_error_attempts_and_its_incidents(
    editor: User, client: Client, article: Any, report: Any
) -> None:
    incident_id = report(article=article)
    other = report()  # from no article: must not be listed
    article.status, article.attempts, article.last_error = "failed", 5, "TimeoutError: slow"
    article.save()
    client.force_login(editor)
    page = client.get(f"/admin/ingest/article/{article.pk}/change/").text
    assert "TimeoutError: slow" in page and "failed" in page
    assert f"/admin/events/incidentrow/{incident_id}/change/" in page
    assert str(other) not in page


def test_classify_again_runs_the_classifier_on_the_article_again(
    editor: User, client: Client, article: Any
) -> None:
    article.status, article.attempts, article.last_error = ArticleStatus.CLASSIFIED, 1, ""
    article.save()
    client.force_login(editor)
    response = client.post(
        "/admin/ingest/article/",
        {"action": "classify_again", "_selected_action": [article.pk]},
        follow=True,
    )
    assert "1 article(s) queued for classification." in response.text
    article.refresh_from_db()
    # Tasks run in-process here: the classifier has read it once more.
    assert article.attempts == 2
    assert article.status == ArticleStatus.CLASSIFIED, article.last_error
    project_everything()


def test_a_viewer_cannot_classify_again(viewer: User, client: Client, article: Any) -> None:
    article.status, article.attempts = ArticleStatus.CLASSIFIED, 1
    article.save()
    client.force_login(viewer)
    client.post(
        "/admin/ingest/article/", {"action": "classify_again", "_selected_action": [article.pk]}
    )
    article.refresh_from_db()
    assert (article.status, article.attempts) == (ArticleStatus.CLASSIFIED, 1)
