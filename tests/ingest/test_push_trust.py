"""Push that cannot be replayed (issue 14): timestamped signatures, delivery ids, content
that only moves forward, secret rotation with an overlap, copies across feeds."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from ingest import feed_services, services
from ingest.models import Article, ArticleStatus, AuditEntry, Feed, IncidentSupport
from ingest.signatures import sign, sign_body_only

pytestmark = pytest.mark.django_db

ARTICLE = {
    "external_id": "t-1",
    "url": "https://news.example/t-1",
    "title": "US strike in Baghdad",
    "body": "A US drone strike on Jan. 4 targeted a base in Baghdad, killing two leaders.",
    "published_at": "2024-01-05",
}


def post(
    client: Client,
    slug: str,
    payload: Any,
    *,
    signature: str | None = None,
    secret: str | None = None,
    timestamp: int | None = None,
    delivery: str | None = None,
) -> Any:
    body = json.dumps(payload).encode()
    if signature is None:
        feed_secret = secret or Feed.objects.get(slug=slug).secret
        signature = sign(feed_secret, body, timestamp=timestamp)
    headers = {"X-Signature": signature}
    if delivery is not None:
        headers["X-Delivery-Id"] = delivery
    return client.post(
        f"/api/ingest/{slug}/articles", data=body, content_type="application/json", headers=headers
    )


def log_size() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM events_event")
        return int(cursor.fetchone()[0])


# --- signatures ----------------------------------------------------------------------------


def test_a_push_signed_now_is_accepted(client: Client, feed: Feed) -> None:
    response = post(client, feed.slug, ARTICLE)
    assert response.status_code == 202, response.content


@pytest.mark.parametrize("offset", [-301, 301, -100_000])
def test_a_signature_outside_the_tolerance_is_refused_with_401(
    client: Client, feed: Feed, offset: int
) -> None:
    response = post(client, feed.slug, ARTICLE, timestamp=int(time.time()) + offset)
    assert response.status_code == 401, response.content
    assert "tolerance is 300 s" in response.json()["error"]
    assert not Article.objects.exists()


def test_the_tolerance_is_a_setting(client: Client, feed: Feed, settings: Any) -> None:
    settings.TRACKER_SIGNATURE_TOLERANCE_SECONDS = 10
    stale = post(client, feed.slug, ARTICLE, timestamp=int(time.time()) - 60)
    assert stale.status_code == 401 and "tolerance is 10 s" in stale.json()["error"]


def test_a_captured_push_replayed_after_the_tolerance_gets_401(client: Client, feed: Feed) -> None:
    """What an eavesdropper holds: the exact bytes and header of a push made 6 minutes ago,
    for a version the feed has since updated."""
    captured_at = int(time.time()) - 360
    old_body = json.dumps(ARTICLE).encode()
    captured_header = sign(feed.secret, old_body, timestamp=captured_at)
    newer = {**ARTICLE, "body": ARTICLE["body"] + " Updated."}
    assert post(client, feed.slug, newer).status_code == 202
    replay = client.post(
        f"/api/ingest/{feed.slug}/articles",
        data=old_body,
        content_type="application/json",
        headers={"X-Signature": captured_header},
    )
    assert replay.status_code == 401
    assert Article.objects.get().body.endswith("Updated.")


def test_a_delivery_id_seen_in_the_window_is_a_replay(client: Client, feed: Feed) -> None:
    first = post(client, feed.slug, ARTICLE, delivery="d-1")
    assert first.status_code == 202
    # A fresh signature over another body does not help: the delivery id was used.
    other = {**ARTICLE, "external_id": "t-2", "url": "https://news.example/t-2", "body": "New."}
    replay = post(client, feed.slug, other, delivery="d-1")
    assert replay.status_code == 409, replay.content
    assert "replay" in replay.json()["error"]
    assert Article.objects.count() == 1
    assert post(client, feed.slug, other, delivery="d-2").status_code == 202


def test_delivery_ids_are_forgotten_after_twice_the_tolerance(client: Client, feed: Feed) -> None:
    assert post(client, feed.slug, ARTICLE, delivery="d-1").status_code == 202
    feed.deliveries.update(received_at=timezone.now() - timedelta(seconds=601))
    other = {**ARTICLE, "external_id": "t-2", "url": "https://news.example/t-2", "body": "New."}
    assert post(client, feed.slug, other, delivery="d-1").status_code == 202
    assert feed.deliveries.count() == 1  # the old receipt was pruned on the way


def test_a_refused_push_does_not_use_up_its_delivery_id(client: Client, feed: Feed) -> None:
    bad = {k: v for k, v in ARTICLE.items() if k != "title"}
    assert post(client, feed.slug, bad, delivery="d-1").status_code == 400
    assert post(client, feed.slug, ARTICLE, delivery="d-1").status_code == 202


def test_the_body_only_scheme_needs_the_feed_to_opt_in(client: Client, feed: Feed) -> None:
    body_only = sign_body_only(feed.secret, json.dumps(ARTICLE).encode())
    refused = post(client, feed.slug, ARTICLE, signature=body_only)
    assert refused.status_code == 401
    assert "does not accept body-only signatures" in refused.json()["error"]
    assert not Article.objects.exists()
    Feed.objects.filter(pk=feed.pk).update(accepts_body_only_signatures=True)
    assert post(client, feed.slug, ARTICLE, signature=body_only).status_code == 202
    wrong = sign_body_only("another-secret", json.dumps(ARTICLE).encode())
    other = {**ARTICLE, "external_id": "t-2"}
    assert post(client, feed.slug, other, signature=wrong).status_code == 401


def test_several_v1_signatures_pass_when_one_matches(client: Client, feed: Feed) -> None:
    t = int(time.time())
    good = sign(feed.secret, json.dumps(ARTICLE).encode(), timestamp=t)
    header = f"t={t},v1={'0' * 64},{good.split(',')[1]}"
    assert post(client, feed.slug, ARTICLE, signature=header).status_code == 202


# --- content moves forward ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("newer", "older"),
    [
        ({"updated_at": "2024-01-06T10:00:00Z"}, {"updated_at": "2024-01-05T10:00:00Z"}),
        ({"sequence": 7}, {"sequence": 6}),
        ({"updated_at": "2024-01-06T10:00:00Z"}, {}),
    ],
    ids=["updated_at", "sequence", "no version after a versioned one"],
)
def test_an_update_older_than_the_stored_version_is_409_and_changes_nothing(
    client: Client, feed: Feed, newer: dict[str, Any], older: dict[str, Any]
) -> None:
    current = {**ARTICLE, **newer, "body": ARTICLE["body"] + " Toll rises to six."}
    [article_id] = post(client, feed.slug, current).json()["ids"]
    Article.objects.filter(pk=article_id).update(status=ArticleStatus.CLASSIFIED)
    before = Article.objects.values().get(pk=article_id)
    events_before = log_size()

    response = post(client, feed.slug, {**ARTICLE, **older})
    assert response.status_code == 409, response.content
    assert "t-1" in response.json()["error"]
    assert Article.objects.values().get(pk=article_id) == before
    assert log_size() == events_before


def test_without_versions_an_earlier_text_again_is_409(client: Client, feed: Feed) -> None:
    """The rollback the issue describes: version 1, version 2, then version 1 re-sent."""
    [article_id] = post(client, feed.slug, ARTICLE).json()["ids"]
    second = {**ARTICLE, "body": ARTICLE["body"] + " Toll rises to six."}
    assert post(client, feed.slug, second).status_code == 202
    Article.objects.filter(pk=article_id).update(status=ArticleStatus.CLASSIFIED)
    rollback = post(client, feed.slug, ARTICLE)
    assert rollback.status_code == 409 and "earlier version" in rollback.json()["error"]
    article = Article.objects.get(pk=article_id)
    assert article.body == second["body"] and article.status == ArticleStatus.CLASSIFIED
    # With a version, restoring the earlier text is an update like any other.
    restored = post(client, feed.slug, {**ARTICLE, "updated_at": "2024-01-07T00:00:00Z"})
    assert restored.status_code == 202 and restored.json()["updated"] == [article_id]


def test_a_newer_version_updates_the_article(client: Client, feed: Feed) -> None:
    [article_id] = post(client, feed.slug, {**ARTICLE, "sequence": 1}).json()["ids"]
    response = post(client, feed.slug, {**ARTICLE, "sequence": 2, "body": "Toll rises to six."})
    assert response.status_code == 202 and response.json()["updated"] == [article_id]
    article = Article.objects.get(pk=article_id)
    assert (article.sequence, article.body) == (2, "Toll rises to six.")


def test_a_batch_with_one_stale_update_stores_none_of_it(client: Client, feed: Feed) -> None:
    post(client, feed.slug, {**ARTICLE, "sequence": 5})
    fresh = {**ARTICLE, "external_id": "t-2", "url": "https://news.example/t-2", "body": "B."}
    stale = {**ARTICLE, "sequence": 4, "body": "Old text."}
    assert post(client, feed.slug, [fresh, stale]).status_code == 409
    assert list(Article.objects.values_list("external_id", flat=True)) == ["t-1"]


# --- secret rotation -----------------------------------------------------------------------


def test_after_rotation_both_secrets_sign_until_the_overlap_ends(
    client: Client, feed: Feed
) -> None:
    old = feed.secret
    [rotated] = feed_services.rotate_feed_secrets(feed_ids=[feed.pk])
    feed.refresh_from_db()
    assert feed.secret == rotated.secret != old
    overlap = feed.previous_secret_expires_at - timezone.now()  # type: ignore[operator]
    assert timedelta(hours=23, minutes=59) < overlap <= timedelta(hours=24)
    assert post(client, feed.slug, ARTICLE, secret=old).status_code == 202
    second = {**ARTICLE, "external_id": "t-2", "url": "https://news.example/t-2", "body": "2."}
    assert post(client, feed.slug, second, secret=rotated.secret).status_code == 202

    Feed.objects.filter(pk=feed.pk).update(
        previous_secret_expires_at=timezone.now() - timedelta(seconds=1)
    )
    third = {**ARTICLE, "external_id": "t-3", "url": "https://news.example/t-3", "body": "3."}
    assert post(client, feed.slug, third, secret=old).status_code == 401
    assert AuditEntry.objects.filter(action="secret_rotated", object_id=str(feed.pk)).exists()


def test_the_overlap_is_a_setting_and_can_be_ended_at_once(
    client: Client, feed: Feed, settings: Any
) -> None:
    settings.TRACKER_SECRET_OVERLAP_HOURS = 0
    old = feed.secret
    feed_services.rotate_feed_secrets(feed_ids=[feed.pk])
    assert post(client, feed.slug, ARTICLE, secret=old).status_code == 401
    settings.TRACKER_SECRET_OVERLAP_HOURS = 24
    feed_services.rotate_feed_secrets(feed_ids=[feed.pk])
    feed.refresh_from_db()
    assert feed_services.end_secret_overlap(feed_ids=[feed.pk]) == 1
    assert post(client, feed.slug, ARTICLE, secret=feed.previous_secret or old).status_code == 401


# --- copies across feeds -------------------------------------------------------------------


@pytest.fixture
def other_feed(db: None) -> Feed:
    return Feed.objects.create(slug="rival", name="Rival", secret="rival-secret-0123456789")


@pytest.mark.parametrize("same", ["url", "text"])
def test_another_feed_cannot_suppress_an_article_it_is_linked_as_a_copy(
    client: Client, feed: Feed, other_feed: Feed, same: str
) -> None:
    # The rival pushes first what the wire is about to publish.
    first = dict(ARTICLE)
    if same == "url":
        first["body"] = "Something else entirely, to squat the URL."
    else:
        first["url"] = "https://rival.example/copied"
    [squatter] = post(client, other_feed.slug, first).json()["ids"]

    response = post(client, feed.slug, ARTICLE)
    assert response.status_code == 202, response.content
    assert response.json()["created"] != [squatter]
    mine = Article.objects.get(feed=feed)
    assert mine.copy_of_id == squatter and mine.body == ARTICLE["body"]
    # Within one feed a re-push is still a duplicate.
    again = post(client, feed.slug, {**ARTICLE, "external_id": "t-9"})
    assert again.status_code == 200 and again.json()["ids"] == [mine.pk]


SEED_004 = (Path(__file__).resolve().parents[2] / "seeds" / "004_0b8bf23ecc8ee3f7.txt").read_text()


def test_a_copy_becomes_a_source_of_the_same_incidents(feed: Feed, other_feed: Feed) -> None:
    from ingest.payloads import ArticleDraft

    title, body = SEED_004.split("\n", 1)
    draft = ArticleDraft(
        external_id="004", title=title.strip(), body=body.strip(), url="https://w.example/004"
    )
    [original] = services.receive_articles(feed=feed, drafts=[draft], enqueue=False).created
    services.classify_article(article_id=original)
    copy_draft = ArticleDraft(**{**draft.__dict__, "external_id": "r-4"})
    [copy] = services.receive_articles(feed=other_feed, drafts=[copy_draft], enqueue=False).created
    assert Article.objects.get(pk=copy).copy_of_id == original
    services.classify_article(article_id=copy)

    def incidents(article_id: int) -> set[str]:
        rows = IncidentSupport.objects.filter(article_id=article_id, active=True)
        return {str(i) for i in rows.values_list("incident_id", flat=True)}

    assert incidents(original) and incidents(copy) == incidents(original)
