"""The feed's admin page for its operator's first hour, the secret shown once on a page
(never in the messages cookie), and the audit trail of feeds, secrets and the registry."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from ingest.models import AuditEntry, Feed
from ingest.signatures import sign
from registry.models import Actor, Place

pytestmark = pytest.mark.django_db

ARTICLE = {
    "external_id": "f-1",
    "url": "https://news.example/f-1",
    "title": "Strike",
    "body": "A strike hit the town.",
    "published_at": None,
}


@pytest.fixture
def editor_client(editor: User, client: Client) -> Client:
    client.force_login(editor)
    return client


def _cookies_text(client: Client) -> str:
    return " ".join(morsel.value for morsel in client.cookies.values())


def test_a_new_feeds_secret_is_shown_once_on_a_page_not_in_a_cookie(
    editor_client: Client, editor: User
) -> None:
    response = editor_client.post(
        "/admin/ingest/feed/add/", {"slug": "wire", "name": "Wire", "active": "on"}
    )
    feed = Feed.objects.get(slug="wire")
    assert response.status_code == 200 and feed.secret in response.text
    assert "no-store" in response["Cache-Control"]
    assert feed.secret not in _cookies_text(editor_client)
    assert "/api/ingest/wire/articles" in response.text and "openssl" in response.text
    assert feed.secret not in editor_client.get("/admin/ingest/feed/").text
    entry = AuditEntry.objects.get(action="feed_created")
    assert (entry.user, entry.object_id) == (editor, str(feed.pk))


def test_rotation_shows_the_new_secret_once_and_is_audited(
    editor_client: Client, editor: User
) -> None:
    feed = Feed.objects.create(slug="wire", name="Wire", secret="old-secret-wire-0123")
    response = editor_client.post(
        "/admin/ingest/feed/", {"action": "rotate_secrets", "_selected_action": [feed.pk]}
    )
    feed.refresh_from_db()
    assert response.status_code == 200 and feed.secret in response.text
    assert "still accepted until" in response.text
    assert feed.secret not in _cookies_text(editor_client)
    assert feed.previous_secret == "old-secret-wire-0123"
    entry = AuditEntry.objects.get(action="secret_rotated")
    assert entry.user == editor and "rotated" in entry.summary
    page = editor_client.get(f"/admin/ingest/feed/{feed.pk}/change/").text
    assert feed.secret not in page and "old-secret-wire-0123" not in page


def test_a_slug_change_is_audited_with_old_and_new(editor_client: Client) -> None:
    feed = Feed.objects.create(slug="wire", name="Wire", secret="s" * 40)
    response = editor_client.post(
        f"/admin/ingest/feed/{feed.pk}/change/",
        {"slug": "wire-2", "name": "Wire", "active": "on"},
    )
    assert response.status_code == 302, response.text
    entry = AuditEntry.objects.get(action="slug_changed")
    assert entry.summary == "slug 'wire' -> 'wire-2'" and entry.username == "editor"


def test_registry_edits_are_audited(editor_client: Client) -> None:
    Actor.objects.create(code="ZZI", name="Iran", kind="state")
    response = editor_client.post(
        "/admin/registry/actor/ZZI/change/",
        {
            "name": "Islamic Republic of Iran",
            "kind": "state",
            "parent": "",
            "aliases": "Iran",
            "active": "on",
            "children-TOTAL_FORMS": "0",
            "children-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.text
    added = editor_client.post(
        "/admin/registry/place/add/",
        {
            "name": "Testville",
            "aliases": "",
            "country": "irq",
            "region": "",
            "precision": "city",
            "latitude": "",
            "longitude": "",
        },
    )
    assert added.status_code == 302, added.text
    entries = {(e.action, e.object_type, e.username) for e in AuditEntry.objects.all()}
    assert entries == {
        ("registry_changed", "actor", "editor"),
        ("registry_added", "place", "editor"),
    }
    changed = AuditEntry.objects.get(object_type="actor")
    assert "name" in changed.summary and "aliases" in changed.summary
    assert Place.objects.filter(name="Testville").exists()


def test_a_refused_registry_edit_leaves_no_audit_entry(editor_client: Client) -> None:
    place = Place.objects.create(name="Testville", country="IRQ", precision="city")
    refused = editor_client.post(
        f"/admin/registry/place/{place.pk}/change/",
        {
            "name": "X",
            "aliases": "",
            "country": "iraq",
            "region": "",
            "precision": "city",
            "latitude": "",
            "longitude": "",
        },
    )
    assert refused.status_code == 200 and "alpha-3" in refused.text
    assert not AuditEntry.objects.exists()


def test_create_feed_on_the_command_line_is_audited_as_the_system() -> None:
    call_command("create_feed", "afp", stdout=StringIO())
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.user, entry.username) == ("feed_created", None, "")


def test_the_audit_trail_is_read_only_in_the_admin(viewer: User, client: Client) -> None:
    Feed.objects.create(slug="wire", name="Wire", secret="s" * 40)
    call_command("create_feed", "afp", stdout=StringIO())
    client.force_login(viewer)
    listing = client.get("/admin/ingest/auditentry/")
    assert listing.status_code == 200 and "feed created" in listing.text
    entry = AuditEntry.objects.get()
    assert (
        client.post(f"/admin/ingest/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEntry.objects.count() == 1


def test_the_feed_page_shows_push_url_examples_counts_and_last_errors(
    editor_client: Client, client: Client
) -> None:
    feed = Feed.objects.create(slug="wire", name="Wire", secret="wire-secret-0123456789")
    api = Client()

    def push(payload: object, secret: str = feed.secret) -> int:
        body = json.dumps(payload).encode()
        return api.post(
            "/api/ingest/wire/articles",
            data=body,
            content_type="application/json",
            headers={"X-Signature": sign(secret, body)},
        ).status_code

    assert push(ARTICLE) == 202
    assert push(ARTICLE) == 200
    assert push(ARTICLE, secret="not-the-secret-at-all") == 401
    assert push({**ARTICLE, "published_at": "9999-01-01"}) == 400

    feed.refresh_from_db()
    assert (feed.pushes_accepted, feed.pushes_duplicate, feed.pushes_refused) == (1, 1, 2)
    assert feed.last_push_at is not None
    page = editor_client.get(f"/admin/ingest/feed/{feed.pk}/change/").text
    assert "http://127.0.0.1:8000/api/ingest/wire/articles" in page
    assert "openssl dgst -sha256 -hmac" in page and "hmac.new(SECRET.encode()" in page
    assert "&lt;the feed secret&gt;" in page and feed.secret not in page
    assert "401: X-Signature does not match" in page
    assert "400: published_at: 9999-01-01 is out of range" in page
    listing = editor_client.get("/admin/ingest/feed/").text
    assert "pushes refused" in listing.lower() or "Pushes refused" in listing
