"""create_feed and ingest, run as commands."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ingest.models import Article, Feed
from ingest.signatures import sign, signature_matches

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_create_feed_prints_a_secret_that_signs() -> None:
    out = StringIO()
    call_command("create_feed", "reuters", stdout=out)
    secret = out.getvalue().splitlines()[0]
    feed = Feed.objects.get(slug="reuters")
    assert feed.secret == secret and len(secret) >= 32
    assert signature_matches(feed.secret, b"x", sign(secret, b"x"))


def test_create_feed_with_a_given_secret_and_refuses_a_twin() -> None:
    call_command("create_feed", "afp", "--secret", "a-secret-of-20-chars", stdout=StringIO())
    assert Feed.objects.get(slug="afp").secret == "a-secret-of-20-chars"
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_feed", "afp", stdout=StringIO())
    with pytest.raises(CommandError, match="16 characters"):
        call_command("create_feed", "ap", "--secret", "short", stdout=StringIO())
    with pytest.raises(CommandError, match="not a slug"):
        call_command("create_feed", "two words", stdout=StringIO())
    assert Feed.objects.count() == 1


def test_ingest_a_folder_with_its_manifest_then_again_as_duplicates() -> None:
    out = StringIO()
    call_command("ingest", str(SEEDS), stdout=out, stderr=StringIO())
    assert "5 new, 0 updated, 0 duplicates" in out.getvalue()
    manifest = json.loads((SEEDS / "manifest.json").read_text())
    for article in Article.objects.all():
        published = manifest[article.external_id]["published"]
        assert (article.published_at.date().isoformat() if article.published_at else None) == (
            published
        )
    out = StringIO()
    call_command("ingest", str(SEEDS), stdout=out, stderr=StringIO())
    assert "0 new, 0 updated, 5 duplicates" in out.getvalue()
    assert Article.objects.count() == 5


def test_ingest_jsonl_and_refuse_a_bad_line(tmp_path: Path) -> None:
    good = {"id": "j-1", "title": "T", "body": "Some body.", "published_at": "2024-01-05"}
    path = tmp_path / "articles.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps({"id": "j-2", "title": "T"}) + "\n")
    with pytest.raises(CommandError, match=r"articles\.jsonl:2"):
        call_command("ingest", str(path), stdout=StringIO(), stderr=StringIO())
    assert not Article.objects.exists()
    path.write_text(json.dumps(good) + "\n")
    call_command("ingest", str(path), "--feed", "jsonl", stdout=StringIO(), stderr=StringIO())
    assert Article.objects.get().feed.slug == "jsonl"
