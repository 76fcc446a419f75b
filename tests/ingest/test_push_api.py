"""The push endpoints over HTTP: every refusal has its status code and stores nothing."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client

from ingest.models import Article, ArticleStatus, Feed
from ingest.signatures import sign

from .test_payloads import BOMB, RSS

pytestmark = pytest.mark.django_db

ARTICLE = {
    "external_id": "a-1",
    "url": "https://news.example/iraq/strike?utm_source=feed",
    "title": "US strike in Baghdad",
    "body": "A US drone strike on Jan. 4 targeted a base in Baghdad, killing two leaders.",
    "published_at": "2024-01-05",
    "outlet": "Example News",
}


def push(
    client: Client,
    feed: Feed,
    payload: Any,
    *,
    secret: str | None = None,
    content_type: str = "application/json",
    endpoint: str = "articles",
    raw: bytes | None = None,
    signature: str | None = None,
) -> Any:
    body = raw if raw is not None else json.dumps(payload).encode()
    header = signature if signature is not None else sign(secret or feed.secret, body)
    return client.post(
        f"/api/ingest/{feed.slug}/{endpoint}",
        data=body,
        content_type=content_type,
        headers={"X-Signature": header} if header else {},
    )


def test_a_new_article_is_stored_and_queued_after_commit(
    client: Client, feed: Feed, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = push(client, feed, ARTICLE)
    assert response.status_code == 202, response.content
    [article_id] = response.json()["ids"]
    article = Article.objects.get(pk=article_id)
    assert article.status == ArticleStatus.RECEIVED
    assert article.canonical_url == "https://news.example/iraq/strike"
    assert article.published_at is not None and article.published_at.year == 2024
    assert len(callbacks) == 1  # classification waits for the commit


def test_duplicates_answer_200_with_the_stored_id(client: Client, feed: Feed) -> None:
    first = push(client, feed, ARTICLE).json()["ids"]
    same = push(client, feed, ARTICLE)
    same_url = push(client, feed, {**ARTICLE, "external_id": "a-2", "body": "Other text."})
    same_text = push(
        client, feed, {**ARTICLE, "external_id": "a-3", "url": "https://mirror.example/x"}
    )
    for response in (same, same_url, same_text):
        assert response.status_code == 200, response.content
        assert response.json()["ids"] == first
    assert Article.objects.count() == 1


def test_same_external_id_with_a_new_body_is_classified_again(client: Client, feed: Feed) -> None:
    [article_id] = push(client, feed, ARTICLE).json()["ids"]
    Article.objects.filter(pk=article_id).update(status=ArticleStatus.CLASSIFIED)
    response = push(client, feed, {**ARTICLE, "body": ARTICLE["body"] + " Updated."})
    assert response.status_code == 202
    assert response.json()["updated"] == [article_id]
    article = Article.objects.get(pk=article_id)
    assert article.status == ArticleStatus.RECEIVED and article.body.endswith("Updated.")


def test_an_update_that_copies_another_article_is_that_article(client: Client, feed: Feed) -> None:
    [first] = push(client, feed, ARTICLE).json()["ids"]
    other = {**ARTICLE, "external_id": "b-1", "url": "https://x.example/b", "body": "Other."}
    [second] = push(client, feed, other).json()["ids"]
    response = push(client, feed, {**other, "body": ARTICLE["body"]})
    assert response.status_code == 200
    assert response.json()["ids"] == [first]
    assert Article.objects.get(pk=second).body == "Other."


def test_a_batch_is_all_or_nothing(client: Client, feed: Feed) -> None:
    bad = {k: v for k, v in ARTICLE.items() if k != "body"} | {"external_id": "a-2"}
    response = push(client, feed, [ARTICLE, bad])
    assert response.status_code == 400
    assert "[1].body" in response.json()["error"]
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("no signature", 401),
        ("wrong signature", 401),
        ("signed with another secret", 401),
        ("unknown feed", 404),
        ("inactive feed", 404),
        ("malformed JSON", 400),
        ("missing field", 400),
        ("too large", 413),
        ("wrong content type", 415),
    ],
)
def test_each_bad_request_has_its_status_and_stores_nothing(
    client: Client, feed: Feed, case: str, expected: int
) -> None:
    kwargs: dict[str, Any] = {}
    payload: Any = ARTICLE
    if case == "no signature":
        kwargs["signature"] = ""
    elif case == "wrong signature":
        kwargs["signature"] = "sha256=" + "0" * 64
    elif case == "signed with another secret":
        kwargs["secret"] = "not-the-feed-secret"
    elif case == "unknown feed":
        feed = Feed(slug="nobody", secret="x" * 20)
    elif case == "inactive feed":
        Feed.objects.filter(pk=feed.pk).update(active=False)
    elif case == "malformed JSON":
        kwargs["raw"] = b'{"external_id": "a-1",'
    elif case == "missing field":
        payload = {k: v for k, v in ARTICLE.items() if k != "title"}
    elif case == "too large":
        payload = {**ARTICLE, "body": "x" * (2 * 1024 * 1024)}
    elif case == "wrong content type":
        kwargs["content_type"] = "text/plain"
    response = push(client, feed, payload, **kwargs)
    assert response.status_code == expected, response.content
    assert response.json()["error"]
    if case == "missing field":
        assert "title" in response.json()["error"]
    assert not Article.objects.exists()


def test_rss_entries_become_articles(client: Client, feed: Feed) -> None:
    response = push(client, feed, None, raw=RSS, content_type="application/rss+xml", endpoint="rss")
    assert response.status_code == 202, response.content
    article = Article.objects.get()
    assert (article.external_id, article.outlet) == ("w-1", "Example Wire")


def test_an_xml_bomb_is_refused_quickly_and_stores_nothing(client: Client, feed: Feed) -> None:
    started = time.monotonic()
    response = push(client, feed, None, raw=BOMB, content_type="application/xml", endpoint="rss")
    assert response.status_code == 400
    assert time.monotonic() - started < 1.0
    assert not Article.objects.exists()


def test_rss_needs_an_xml_content_type(client: Client, feed: Feed) -> None:
    response = push(client, feed, None, raw=RSS, content_type="application/json", endpoint="rss")
    assert response.status_code == 415
    assert not Article.objects.exists()
