"""Hostile pushes from a feed holding its secret (or not): each gets a 4xx with a message,
never a 500, and nothing is half-stored. The RSS attribute flood is refused in time
linear in the body, measured against the parse it would otherwise have reached."""

from __future__ import annotations

import json
import time
from typing import Any

import defusedxml.ElementTree
import feedparser
import pytest
from django.test import Client

from ingest.models import Article, Feed
from ingest.signatures import sign

pytestmark = pytest.mark.django_db

GOOD = {
    "external_id": "h-1",
    "url": "https://news.example/h-1",
    "title": "US strike in Baghdad",
    "body": "US forces struck positions near Baghdad on 4 January 2024.",
    "published_at": "2024-01-05T08:00:00+00:00",
}
HUGE_INTEGER = "9" * 5000


def _with(**fields: Any) -> bytes:
    return json.dumps({**GOOD, **fields}).encode()


# (name, raw body, expected status, a word the error message names)
HOSTILE_BODIES = [
    ("integer of 5,000 digits", _with().replace(b'"h-1"', HUGE_INTEGER.encode()), 400, "digit"),
    (
        "sequence of 5,000 digits",
        _with()[:-1] + b', "sequence": ' + HUGE_INTEGER.encode() + b"}",
        400,
        "digit",
    ),
    ("sequence out of bigint", _with(sequence=2**64), 400, "sequence"),
    ("sequence not an integer", _with(sequence="7"), 400, "sequence"),
    ("unclosed IPv6 host", _with(url="https://[::1/x"), 400, "url"),
    ("port 99999", _with(url="https://news.example:99999/h-1"), 400, "url"),
    ("published in year 1", _with(published_at="0001-01-01T00:00:00+01:00"), 400, "published_at"),
    ("published in year 1, UTC", _with(published_at="0001-01-01"), 400, "published_at"),
    ("published in 9999", _with(published_at="9999-12-31T23:59:59-05:00"), 400, "published_at"),
    ("published in 9999, a date", _with(published_at="9999-01-01"), 400, "published_at"),
    ("updated in year 1", _with(updated_at="0001-01-01T00:00:00+01:00"), 400, "updated_at"),
]


@pytest.mark.parametrize(
    ("name", "raw", "expected", "names"), HOSTILE_BODIES, ids=[h[0] for h in HOSTILE_BODIES]
)
def test_hostile_fields_get_a_4xx_with_a_message_and_store_nothing(
    client: Client, feed: Feed, name: str, raw: bytes, expected: int, names: str
) -> None:
    # Second in a batch: the first, valid article must not be stored either.
    batch = (
        b"[" + json.dumps({**GOOD, "external_id": "ok-1", "url": "https://a.example/1"}).encode()
    )
    batch += b"," + raw + b"]"
    for body in (raw, batch):
        response = client.post(
            f"/api/ingest/{feed.slug}/articles",
            data=body,
            content_type="application/json",
            headers={"X-Signature": sign(feed.secret, body)},
        )
        assert response.status_code == expected, (name, response.content[:300])
        assert names in response.json()["error"], response.json()
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "header",
    [
        "t=1700000000,v1=é" + "0" * 63,
        "t=１７００００００００,v1=" + "0" * 64,  # full-width digits  # noqa: RUF001
        "t=" + "9" * 5000 + ",v1=" + "0" * 64,
        "sha256=ü",
        "garbage",
        "t=,v1=",
        "x" * 10_000,
    ],
    ids=[
        "non-ASCII v1",
        "non-ASCII digits",
        "5,000-digit t",
        "non-ASCII body-only",
        "no key",
        "empty values",
        "10 KB",
    ],
)
def test_hostile_signature_headers_get_401_with_a_message(
    client: Client, feed: Feed, header: str
) -> None:
    response = client.post(
        f"/api/ingest/{feed.slug}/articles",
        data=json.dumps(GOOD).encode(),
        content_type="application/json",
        headers={"X-Signature": header},
    )
    assert response.status_code == 401, response.content
    assert "X-Signature" in response.json()["error"] or "signature" in response.json()["error"]
    assert not Article.objects.exists()


@pytest.mark.parametrize("delivery", ["dé-1", "a b", "x" * 201, ""])
def test_hostile_delivery_ids_get_400(client: Client, feed: Feed, delivery: str) -> None:
    body = json.dumps(GOOD).encode()
    response = client.post(
        f"/api/ingest/{feed.slug}/articles",
        data=body,
        content_type="application/json",
        headers={"X-Signature": sign(feed.secret, body), "X-Delivery-Id": delivery},
    )
    assert response.status_code == 400, response.content
    assert "X-Delivery-Id" in response.json()["error"]
    assert not Article.objects.exists()


def _attribute_flood(count: int) -> bytes:
    attributes = " ".join(f'a{i}="x"' for i in range(count))
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<item {attributes}><guid>1</guid><link>https://w.example/1</link><title>x</title>"
        f"<description>y</description></item></channel></rss>"
    ).encode()


def _unguarded_parse_seconds(raw: bytes) -> float:
    """What the endpoint did before the guard: defusedxml's check, then feedparser."""
    started = time.monotonic()
    defusedxml.ElementTree.fromstring(raw, forbid_dtd=False)
    feedparser.parse(raw)
    return time.monotonic() - started


def test_an_element_with_100000_attributes_is_refused_quickly(client: Client, feed: Feed) -> None:
    flood = _attribute_flood(100_000)
    assert len(flood) < 2 * 1024 * 1024  # under the body limit: only the guard stops it
    started = time.monotonic()
    response = client.post(
        f"/api/ingest/{feed.slug}/rss",
        data=flood,
        content_type="application/rss+xml",
        headers={"X-Signature": sign(feed.secret, flood)},
    )
    refused_in = time.monotonic() - started
    assert response.status_code == 400, response.content[:300]
    assert "more than 100 attributes" in response.json()["error"]
    assert not Article.objects.exists()
    # Before the guard the parse was quadratic in the attributes: measured at 2,500 and
    # 5,000 here (100,000 would take minutes), a doubling costs about 4x.
    small = _unguarded_parse_seconds(_attribute_flood(2_500))
    large = _unguarded_parse_seconds(_attribute_flood(5_000))
    estimate = large * (100_000 / 5_000) ** 2
    print(
        f"\nattribute flood ({len(flood):,} bytes, 100,000 attributes): refused in "
        f"{refused_in * 1000:.0f} ms; unguarded parse measured {small:.2f} s at 2,500 and "
        f"{large:.2f} s at 5,000 attributes (x{large / small:.1f} per doubling), so about "
        f"{estimate:.0f} s at 100,000"
    )
    assert refused_in < 1.0
    assert large > 2 * small  # worse than linear: what the guard is for


def test_a_normal_feed_with_attributes_still_parses(client: Client, feed: Feed) -> None:
    rss = _attribute_flood(20)
    response = client.post(
        f"/api/ingest/{feed.slug}/rss",
        data=rss,
        content_type="application/rss+xml",
        headers={"X-Signature": sign(feed.secret, rss)},
    )
    assert response.status_code == 202, response.content
