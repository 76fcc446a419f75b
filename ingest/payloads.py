"""What a feed pushes, checked and normalised before anything is stored. No database here.

`parse_article_batch` reads the JSON endpoint's body, `parse_feed_document` an RSS or Atom
document; both return `ArticleDraft`s or raise `PayloadError` naming the offending field
(`[3].body`, `entries[0].link`), so a batch is refused whole.
"""

from __future__ import annotations

import calendar
import hashlib
import itertools
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree
import feedparser
from defusedxml import DefusedXmlException
from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags

MAX_BATCH = 100
REQUIRED_FIELDS = ("external_id", "url", "title", "body", "published_at")
OPTIONAL_FIELDS = ("outlet", "language", "updated_at", "sequence")
LIMITS = {"external_id": 300, "url": 2000, "title": 1000, "outlet": 200, "language": 12}
# Query parameters that say where a reader came from, not which article it is.
TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid)$", re.I)
# Dates a news article can carry: none before this, none more than a day ahead of the
# server's clock (time zones and clock skew). Year 1 or 9999 is a broken feed, not news.
EARLIEST_DATE = datetime(1900, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)
MAX_SEQUENCE = 2**63 - 1  # a PostgreSQL bigint
# An element with more attributes than this is no feed entry: expat checks duplicate
# attributes in quadratic time, so 100,000 of them would hold a worker for minutes.
MAX_XML_ATTRIBUTES = 100
_XML_TAG = re.compile(rb"<[^<>]*>")
_XML_ATTRIBUTE = re.compile(rb"=\s*[\"']")


class PayloadError(ValueError):
    """A pushed body the API refuses; `field` says where."""

    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}" if field else message)


@dataclass(frozen=True)
class ArticleDraft:
    external_id: str
    title: str
    body: str
    url: str = ""
    published_at: datetime | None = None
    outlet: str = ""
    language: str = ""
    updated_at: datetime | None = None  # the feed's version of the article, if it says
    sequence: int | None = None  # or the feed's own ordering of its versions

    @property
    def canonical_url(self) -> str | None:
        return canonicalize_url(self.url)

    @property
    def content_hash(self) -> str:
        return content_hash(self.title, self.body)


def content_hash(title: str, body: str) -> str:
    """Same words, same hash: whitespace and line endings do not make a new version."""
    normalised = " ".join(title.split()) + "\n" + " ".join(body.split())
    return hashlib.sha256(normalised.encode()).hexdigest()


def canonicalize_url(url: str) -> str | None:
    """One spelling per article: lower-case host, no fragment, no tracking parameters."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = parts.port  # _url refused the URLs whose port is no number in 0-65535
    if port and not (
        (parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)
    ):
        host = f"{host}:{port}"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMS.match(k)
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), host, path, urlencode(query), ""))


def _text(obj: dict[str, Any], name: str, where: str, *, required: bool) -> str:
    field = f"{where}{name}"
    if name not in obj or obj[name] is None:
        if required:
            raise PayloadError(field, "this field is required")
        return ""
    value = obj[name]
    if not isinstance(value, str):
        raise PayloadError(field, "must be a string")
    if "\x00" in value:  # PostgreSQL text cannot hold it
        raise PayloadError(field, "must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (a "\ud800" escape) is no text
        raise PayloadError(field, "must be valid Unicode: lone surrogate") from None
    value = value.strip()
    if required and not value:
        raise PayloadError(field, "must not be empty")
    limit = LIMITS.get(name)
    if limit and len(value) > limit:
        raise PayloadError(field, f"at most {limit} characters")
    return value


def _url(value: str, field: str) -> str:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- raises on a port that is no number in 0-65535
    except ValueError as error:  # "https://[::1/x", "https://host:99999/"
        raise PayloadError(field, f"not a valid URL: {error}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PayloadError(field, "must be an absolute http(s) URL")
    return value


def check_date_range(value: datetime, field: str) -> datetime:
    """The datetime in UTC when a news article can carry it; PayloadError otherwise."""
    try:
        in_utc = value.astimezone(UTC)
    except (OverflowError, ValueError):  # year 1 at +01:00, year 9999 at -05:00
        raise PayloadError(field, f"{value.isoformat()} is out of range") from None
    latest = datetime.now(UTC) + FUTURE_SLACK
    if not EARLIEST_DATE <= in_utc <= latest:
        raise PayloadError(
            field,
            f"{in_utc.date().isoformat()} is out of range: from {EARLIEST_DATE.year} to tomorrow",
        )
    return in_utc


def parse_published(value: Any, field: str) -> datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise PayloadError(field, "must be an ISO 8601 date or datetime string")
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            parsed = datetime.combine(date.fromisoformat(value), time())
    except ValueError:
        parsed = None
    if parsed is None:
        raise PayloadError(field, f"{value[:60]!r} is not an ISO 8601 date or datetime")
    return check_date_range(parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC), field)


def _sequence(value: Any, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise PayloadError(field, "must be an integer")
    if not 0 <= value <= MAX_SEQUENCE:
        raise PayloadError(field, f"must be between 0 and {MAX_SEQUENCE}")
    return value


def parse_article_object(obj: Any, where: str = "") -> ArticleDraft:
    if not isinstance(obj, dict):
        raise PayloadError(where.rstrip(".") or "body", "must be a JSON object")
    unknown = sorted(set(obj) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
    if unknown:
        raise PayloadError(f"{where}{unknown[0]}", "unknown field")
    if "published_at" not in obj:
        raise PayloadError(f"{where}published_at", "this field is required (null if unknown)")
    return ArticleDraft(
        external_id=_text(obj, "external_id", where, required=True),
        url=_url(_text(obj, "url", where, required=True), f"{where}url"),
        title=_text(obj, "title", where, required=True),
        body=_text(obj, "body", where, required=True),
        published_at=parse_published(obj["published_at"], f"{where}published_at"),
        outlet=_text(obj, "outlet", where, required=False),
        language=_text(obj, "language", where, required=False),
        updated_at=parse_published(obj.get("updated_at"), f"{where}updated_at"),
        sequence=_sequence(obj.get("sequence"), f"{where}sequence"),
    )


def parse_article_batch(raw: bytes) -> list[ArticleDraft]:
    """One JSON article or a list of up to MAX_BATCH; all valid, or PayloadError."""
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PayloadError("body", f"malformed JSON: {error}") from None
    except RecursionError:
        raise PayloadError("body", "malformed JSON: nested too deeply") from None
    except ValueError as error:  # an integer of more than 4,300 digits, among others
        raise PayloadError("body", f"malformed JSON: {str(error)[:120]}") from None
    if isinstance(data, dict):
        return [parse_article_object(data)]
    if not isinstance(data, list):
        raise PayloadError("body", "must be an article object or a list of them")
    if not data:
        raise PayloadError("body", "an empty list: nothing to ingest")
    if len(data) > MAX_BATCH:
        raise PayloadError("body", f"at most {MAX_BATCH} articles per request, got {len(data)}")
    drafts = [parse_article_object(item, f"[{i}].") for i, item in enumerate(data)]
    seen: dict[str, int] = {}
    for i, draft in enumerate(drafts):
        if draft.external_id in seen:
            raise PayloadError(f"[{i}].external_id", f"repeats [{seen[draft.external_id]}]")
        seen[draft.external_id] = i
    return drafts


def _refuse_attribute_floods(raw: bytes) -> None:
    """Count the attributes of each tag before any XML parser sees the document: linear in
    the body, where expat and feedparser are quadratic in one element's attributes."""
    shortest_flood = 4 * MAX_XML_ATTRIBUTES  # each attribute takes at least `a=""`
    for tag in _XML_TAG.finditer(raw):
        if tag.end() - tag.start() < shortest_flood:
            continue
        attributes = _XML_ATTRIBUTE.finditer(raw, tag.start(), tag.end())
        if next(itertools.islice(attributes, MAX_XML_ATTRIBUTES, None), None) is not None:
            name = raw[tag.start() + 1 : tag.start() + 40].split(maxsplit=1)[0]
            raise PayloadError(
                "body",
                f"element <{name.decode('utf-8', 'replace')}> has more than "
                f"{MAX_XML_ATTRIBUTES} attributes",
            )


def _refuse_unsafe_xml(raw: bytes) -> None:
    _refuse_attribute_floods(raw)
    # feedparser's own parser would expand entities; defusedxml refuses DTD entities,
    # external references and the billion-laughs family before feedparser sees a byte.
    try:
        defusedxml.ElementTree.fromstring(raw, forbid_dtd=False)
    except DefusedXmlException as error:
        raise PayloadError("body", f"unsafe XML refused ({type(error).__name__})") from None
    except ParseError as error:
        raise PayloadError("body", f"malformed XML: {error}") from None


def _entry_date(entry: Any, keys: tuple[str, ...], field: str) -> datetime | None:
    for key in keys:
        # dict.get: feedparser's own get maps a missing updated_parsed to published_parsed.
        parsed = dict.get(entry, key)
        if parsed:
            try:
                value = datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
            except (OverflowError, ValueError, OSError):
                raise PayloadError(field, "the date is out of range") from None
            return check_date_range(value, field)
    return None


def _entry_body(entry: Any) -> str:
    content = entry.get("content") or []
    html = content[0].get("value", "") if content else entry.get("summary", "")
    return " ".join(strip_tags(html or "").split())


def parse_feed_document(raw: bytes) -> list[ArticleDraft]:
    """Each entry of an RSS/Atom document as a draft; PayloadError names the entry."""
    _refuse_unsafe_xml(raw)
    parsed = feedparser.parse(raw)
    if not parsed.get("version") and not parsed.entries:
        raise PayloadError("body", "not an RSS or Atom document")
    if not parsed.entries:
        raise PayloadError("entries", "the feed has no entries")
    if len(parsed.entries) > MAX_BATCH:
        raise PayloadError("entries", f"at most {MAX_BATCH} entries per request")
    outlet = (parsed.feed.get("title") or "")[: LIMITS["outlet"]]
    drafts = []
    for i, entry in enumerate(parsed.entries):
        where = f"entries[{i}]."
        link = (entry.get("link") or "").strip()
        obj = {
            "external_id": (entry.get("id") or link or None),
            "url": link or None,
            "title": " ".join(strip_tags(entry.get("title") or "").split()) or None,
            "body": _entry_body(entry) or None,
            "published_at": None,
            "outlet": outlet or None,
            "language": (entry.get("language") or parsed.feed.get("language") or None),
        }
        names = {"url": "link", "body": "summary", "external_id": "id"}
        try:
            draft = parse_article_object(obj, where)
        except PayloadError as error:
            field = error.field.removeprefix(where)
            raise PayloadError(where + names.get(field, field), error.message) from None
        dates = {
            "published_at": _entry_date(
                entry, ("published_parsed", "updated_parsed"), f"{where}published"
            ),
            "updated_at": _entry_date(entry, ("updated_parsed",), f"{where}updated"),
        }
        drafts.append(ArticleDraft(**{**draft.__dict__, **dates}))
    return drafts
