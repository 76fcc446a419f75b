"""Hostile input at the push API: every attempt gets a clear 4xx with a JSON message,
nothing is stored, and text that carries HTML or script is stored as text and escaped
wherever the admin shows it."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client

from events import store
from events.projections.engine.projectors import catch_up_all
from events.projections.rules.incidents import IncidentRow
from ingest import services
from ingest.models import Article, Feed
from ingest.signatures import sign
from tests.faults.report import figure

pytestmark = [pytest.mark.faults, pytest.mark.django_db]

ARTICLE = {
    "external_id": "h-1",
    "url": "https://news.example/h-1",
    "title": "US strike in Baghdad",
    "body": "US forces struck Kataib Hezbollah positions near Baghdad on 4 January 2024.",
    "published_at": "2024-01-05T08:00:00+00:00",
}
BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]>\n<rss><channel><title>&lol9;</title><item><title>x</title></item></channel></rss>"
)
QUADRATIC = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "' + b"x" * 50_000 + b'">]><rss><channel>'
    b"<item><title>" + b"&a;" * 20_000 + b"</title></item></channel></rss>"
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b"<rss><channel><item><title>&x;</title></item></channel></rss>"
)
SCRIPT = "<script>alert('pwned')</script>"
IMG = '<img src=x onerror="alert(1)">'


def _json(article: dict[str, Any]) -> bytes:
    return json.dumps(article).encode()


# Built when the test runs, not when the module is collected.
FIFTY_MB = b"<50 MB>"


def _body(body: bytes, content_type: str) -> bytes:
    if body != FIFTY_MB:
        return body
    if content_type == "application/json":
        return b'{"body": "' + b"a" * 50_000_000 + b'"}'
    return b"<rss>" + b"a" * 50_000_000 + b"</rss>"


# (name, endpoint, content type, body): each must be refused with a 4xx.
HOSTILE: list[tuple[str, str, str, bytes]] = [
    ("xml bomb (billion laughs)", "rss", "application/rss+xml", BOMB),
    ("quadratic entity blow-up", "rss", "application/rss+xml", QUADRATIC),
    ("external entity (XXE)", "rss", "application/rss+xml", XXE),
    ("50 MB JSON body", "articles", "application/json", FIFTY_MB),
    ("50 MB RSS body", "rss", "application/rss+xml", FIFTY_MB),
    ("deeply nested JSON", "articles", "application/json", b"[" * 200_000 + b"]" * 200_000),
    (
        "deeply nested object",
        "articles",
        "application/json",
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    ),
    (
        "invalid UTF-8 in JSON",
        "articles",
        "application/json",
        _json(ARTICLE).replace(b"Baghdad", b"Bagh\xff\xfedad"),
    ),
    (
        "overlong UTF-8 in JSON",
        "articles",
        "application/json",
        _json(ARTICLE).replace(b"US", b"\xc0\xafUS", 1),
    ),
    (
        "invalid UTF-8 in RSS",
        "rss",
        "application/rss+xml",
        b'<?xml version="1.0" encoding="utf-8"?><rss><channel><item><guid>1</guid>'
        b"<title>\xff\xfe</title></item></channel></rss>",
    ),
    (
        "lone surrogate escaped in JSON",
        "articles",
        "application/json",
        _json(ARTICLE).replace(b"Baghdad", b"Bagh\\ud800dad"),
    ),
    (
        "NUL character in text",
        "articles",
        "application/json",
        _json(ARTICLE).replace(b"Baghdad", b"Bagh\\u0000dad"),
    ),
    (
        "NaN and Infinity",
        "articles",
        "application/json",
        b'{"external_id": NaN, "title": Infinity}',
    ),
    ("not JSON at all", "articles", "application/json", b"\x00\x01\x02garbage"),
    ("JSON scalar", "articles", "application/json", b"12345"),
    (
        "101 articles",
        "articles",
        "application/json",
        json.dumps([{**ARTICLE, "external_id": f"b{i}"} for i in range(101)]).encode(),
    ),
    (
        "huge external id",
        "articles",
        "application/json",
        _json({**ARTICLE, "external_id": "x" * 100_000}),
    ),
    (
        "javascript: url",
        "articles",
        "application/json",
        _json({**ARTICLE, "url": "javascript:alert(1)"}),
    ),
    (
        "wrong types",
        "articles",
        "application/json",
        _json({**ARTICLE, "title": {"$gt": ""}, "body": ["x"]}),
    ),
    (
        "date out of range",
        "articles",
        "application/json",
        _json({**ARTICLE, "published_at": "99999-01-01"}),
    ),
    ("XML sent as JSON", "articles", "application/json", BOMB),
    ("JSON sent as RSS", "rss", "application/rss+xml", _json(ARTICLE)),
]


@pytest.fixture
def feed(db: None) -> Feed:
    return Feed.objects.create(slug="hostile", name="Hostile", secret="hostile-secret-0123456789")


def _post(client: Client, feed: Feed, endpoint: str, content_type: str, body: bytes) -> Any:
    return client.post(
        f"/api/ingest/{feed.slug}/{endpoint}",
        data=body,
        content_type=content_type,
        headers={"X-Signature": sign(feed.secret, body)},
    )


def _stored() -> tuple[int, str]:
    return Article.objects.count(), store.head_cursor()


@pytest.mark.parametrize(
    ("name", "endpoint", "content_type", "body"), HOSTILE, ids=[h[0] for h in HOSTILE]
)
def test_hostile_input_is_refused_with_a_clear_4xx_and_nothing_is_stored(
    client: Client, feed: Feed, name: str, endpoint: str, content_type: str, body: bytes
) -> None:
    body = _body(body, content_type)
    before = _stored()
    started = time.monotonic()
    response = _post(client, feed, endpoint, content_type, body)
    took = time.monotonic() - started
    assert 400 <= response.status_code < 500, (name, response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), name
    message = json.dumps(response.json())
    assert len(message) > 10, f"{name}: the refusal says why"
    assert len(message) < 5000, f"{name}: the refusal does not echo the input back"
    assert _stored() == before, f"{name}: something was stored"
    assert took < 10, f"{name}: took {took:.1f}s"
    figure("hostile inputs refused", int(400 <= response.status_code < 500))


def test_html_and_script_in_article_text_are_stored_as_text_and_escaped_in_the_admin(
    client: Client, admin_client: Client, feed: Feed, django_capture_on_commit_callbacks: Any
) -> None:
    article = {
        **ARTICLE,
        "external_id": "h-script",
        "title": f"Strike {SCRIPT} in Baghdad {IMG}",
        "body": (
            f"US forces struck Kataib Hezbollah positions near Baghdad on 4 January 2024, "
            f"killing 4 fighters {SCRIPT}, officials said. {IMG}\n\n"
            "Iran condemned the strike on 5 January 2024 <b onmouseover=alert(2)>loudly</b>."
        ),
        "outlet": f"Evil {SCRIPT} Wire",
    }
    with django_capture_on_commit_callbacks(execute=False):
        response = _post(client, feed, "articles", "application/json", _json(article))
    assert response.status_code == 202, response.content
    [article_id] = response.json()["ids"]
    services.classify_article(article_id=article_id)
    catch_up_all()
    stored = Article.objects.get(pk=article_id)
    assert SCRIPT in stored.title  # kept verbatim as text: escaping is the renderer's job

    pages = [
        "/admin/ingest/article/",
        f"/admin/ingest/article/{article_id}/change/",
        "/admin/events/event/",
        "/admin/events/incidentrow/",
    ]
    incident_ids = list(IncidentRow.objects.values_list("incident_id", flat=True))
    pages += [f"/admin/events/incidentrow/{i}/change/" for i in incident_ids]
    for url in pages:
        page = admin_client.get(url, follow=True)
        assert page.status_code == 200, url
        html = page.content.decode()
        for raw in (SCRIPT, IMG, "<b onmouseover"):
            assert raw not in html, f"{url} renders {raw!r} raw"
    figure("admin pages checked for raw HTML", len(pages))
    article_page = admin_client.get(f"/admin/ingest/article/{article_id}/change/").content.decode()
    assert "&lt;script&gt;alert(" in article_page
