"""schemathesis over the ingest part of the OpenAPI document (the read API has its own run
in tests/api/test_schema_conformance.py): generated pushes, each sent twice, signed with
the feed's secret and with a wrong signature. No server error either way; a wrong
signature is refused and stores nothing; every answer is a status the schema documents,
as JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.types import NotSet

from ingest.models import Article, Feed
from ingest.signatures import sign
from tests.faults.report import figure

pytestmark = [pytest.mark.faults, pytest.mark.postgres]

SECRET = "fuzz-secret-0123456789abcdef"


@pytest.fixture
def ingest_api() -> Any:
    # The document drf-spectacular serves at /api/schema/, built without a request cycle
    # (whose end would close the test transaction's connection).
    from drf_spectacular.generators import SchemaGenerator

    document = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))
    return schemathesis.from_dict(document).include(path_regex="^/api/ingest/")


schema = schemathesis.from_pytest_fixture("ingest_api")


@pytest.fixture
def feed(db: None) -> Feed:
    return Feed.objects.create(slug="fuzz", name="Fuzz", secret=SECRET)


def _raw_body(case: Any) -> bytes:
    body = case.body
    if isinstance(body, NotSet):
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8", "surrogatepass")
    return json.dumps(body).encode()


def _documented(case: Any) -> set[int]:
    return {int(code) for code in case.operation.definition.raw["responses"] if code.isdigit()}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_generated_pushes_never_get_a_server_error(case: Any, feed: Feed) -> None:
    client = Client()
    slug = feed.slug if case.path_parameters.get("slug", "").startswith("f") else "nope"
    url = case.operation.path.replace("{slug}", slug)
    body = _raw_body(case)
    content_type = case.media_type or "application/json"
    documented = _documented(case)

    before = Article.objects.count()
    wrong = client.post(
        url, data=body, content_type=content_type, headers={"X-Signature": "sha256=0"}
    )
    assert wrong.status_code < 500, wrong.content[:300]
    assert wrong.status_code in {401, 404, 413, 415}, (wrong.status_code, wrong.content[:300])
    assert wrong.status_code in documented
    assert wrong["Content-Type"].startswith("application/json")
    assert Article.objects.count() == before, "a badly signed push stored something"

    signed = client.post(
        url, data=body, content_type=content_type, headers={"X-Signature": sign(SECRET, body)}
    )
    assert signed.status_code < 500, signed.content[:300]
    assert signed.status_code in documented, (signed.status_code, signed.content[:300])
    assert signed["Content-Type"].startswith("application/json")
    if signed.status_code >= 400:
        assert Article.objects.count() == before, "a refused push stored something"
    responses = [wrong, signed]
    figure("schemathesis ingest requests (signed and badly signed)", len(responses))
    figure("schemathesis ingest server errors", sum(r.status_code >= 500 for r in responses))
