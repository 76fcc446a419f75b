"""What a push may contain: pure parsing, no database."""

import json
import time
from datetime import UTC, datetime

import pytest

from ingest.payloads import (
    PayloadError,
    canonicalize_url,
    content_hash,
    parse_article_batch,
    parse_feed_document,
)
from ingest.signatures import sign, sign_body_only, signature_matches

ARTICLE = {
    "external_id": "a-1",
    "url": "https://news.example/iraq/strike",
    "title": "US strike in Baghdad",
    "body": "A US drone strike on Jan. 4 targeted a base in Baghdad.",
    "published_at": "2024-01-05T10:00:00Z",
}


def test_one_article_or_a_list() -> None:
    [one] = parse_article_batch(json.dumps(ARTICLE).encode())
    assert one.external_id == "a-1"
    assert one.published_at == datetime(2024, 1, 5, 10, tzinfo=UTC)
    batch = parse_article_batch(json.dumps([ARTICLE, {**ARTICLE, "external_id": "a-2"}]).encode())
    assert [d.external_id for d in batch] == ["a-1", "a-2"]


@pytest.mark.parametrize("missing", ["external_id", "url", "title", "body", "published_at"])
def test_a_missing_field_is_named(missing: str) -> None:
    article = {k: v for k, v in ARTICLE.items() if k != missing}
    with pytest.raises(PayloadError) as error:
        parse_article_batch(json.dumps([ARTICLE | {"external_id": "x"}, article]).encode())
    assert error.value.field == f"[1].{missing}"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"{not json", "body"),
        (b"[]", "body"),
        (b'"a string"', "body"),
        (json.dumps([ARTICLE] * 101).encode(), "body"),
        (json.dumps({**ARTICLE, "url": "ftp://x"}).encode(), "url"),
        (json.dumps({**ARTICLE, "published_at": "yesterday"}).encode(), "published_at"),
        (json.dumps({**ARTICLE, "title": 3}).encode(), "title"),
        (json.dumps({**ARTICLE, "colour": "red"}).encode(), "colour"),
        (json.dumps([ARTICLE, ARTICLE]).encode(), "[1].external_id"),
    ],
)
def test_bad_bodies_are_refused_naming_the_field(body: bytes, field: str) -> None:
    with pytest.raises(PayloadError) as error:
        parse_article_batch(body)
    assert error.value.field == field


def test_canonical_url_drops_what_does_not_name_the_article() -> None:
    assert canonicalize_url("HTTPS://News.Example:443/a/b/?utm_source=x&id=3#top") == (
        "https://news.example/a/b?id=3"
    )
    assert canonicalize_url("") is None


def test_content_hash_ignores_whitespace_only() -> None:
    assert content_hash("T", "a  b\r\nc") == content_hash("T ", "a b c")
    assert content_hash("T", "a b c") != content_hash("T", "a b d")


def test_signature_round_trip_and_refusals() -> None:
    body = b'{"a": 1}'
    header = sign("s3cret", body)
    assert header.startswith("t=") and ",v1=" in header
    assert signature_matches("s3cret", body, header)
    assert not signature_matches("s3cret", body + b" ", header)
    assert not signature_matches("other", body, header)
    assert not signature_matches("s3cret", body, None)
    assert not signature_matches("s3cret", body, header.split(",")[1])  # no timestamp
    stale = sign("s3cret", body, timestamp=int(time.time()) - 301)
    assert not signature_matches("s3cret", body, stale)
    body_only = sign_body_only("s3cret", body)
    assert not signature_matches("s3cret", body, body_only)
    assert signature_matches("s3cret", body, body_only, allow_body_only=True)


RSS = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Example Wire</title>
<item><guid>w-1</guid><link>https://wire.example/1</link><title>Strike in Baghdad</title>
<description>&lt;p&gt;A US drone strike hit Baghdad.&lt;/p&gt;</description>
<pubDate>Fri, 05 Jan 2024 10:00:00 GMT</pubDate></item>
</channel></rss>"""


def test_rss_entries_become_drafts() -> None:
    [draft] = parse_feed_document(RSS)
    assert draft.external_id == "w-1"
    assert draft.body == "A US drone strike hit Baghdad."
    assert draft.outlet == "Example Wire"
    assert draft.published_at == datetime(2024, 1, 5, 10, tzinfo=UTC)


def test_rss_entry_without_link_is_named() -> None:
    with pytest.raises(PayloadError) as error:
        parse_feed_document(RSS.replace(b"<link>https://wire.example/1</link>", b""))
    assert error.value.field == "entries[0].link"


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>x</title></item></channel></rss>"""


def test_xml_bomb_is_refused_quickly() -> None:
    started = time.monotonic()
    with pytest.raises(PayloadError, match="unsafe XML"):
        parse_feed_document(BOMB)
    assert time.monotonic() - started < 0.5


def test_external_entity_is_refused() -> None:
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<rss><channel><item><title>&x;</title></item></channel></rss>"
    )
    with pytest.raises(PayloadError, match="unsafe XML"):
        parse_feed_document(xxe)


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title>
<entry><id>urn:a:1</id><title>Deployment</title><link href="https://atom.example/1"/>
<updated>2024-01-05T10:00:00Z</updated>
<content type="html">&lt;p&gt;Turkish forces deployed 500 troops to Bashiqa.&lt;/p&gt;</content>
</entry></feed>"""


def test_atom_entries_become_drafts() -> None:
    [draft] = parse_feed_document(ATOM)
    assert (draft.external_id, draft.url) == ("urn:a:1", "https://atom.example/1")
    assert draft.body == "Turkish forces deployed 500 troops to Bashiqa."
    assert draft.published_at == datetime(2024, 1, 5, 10, tzinfo=UTC)


def test_malformed_xml_is_a_400_not_a_crash() -> None:
    with pytest.raises(PayloadError, match="malformed XML"):
        parse_feed_document(b"<rss><channel><item>")
