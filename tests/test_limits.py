"""Limits and sessions (issue 14): throttles keyed by an address no client can forge, rates
per token and per feed, the admin login lockout, the Content-Security-Policy on every page,
and authenticated API answers kept out of shared caches."""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle

from ingest.models import Feed
from ingest.signatures import sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """Low rates for this test. DRF binds the rates to its throttle class when first
    imported, so a settings override would not reach them: set them where DRF reads."""
    low = {"anon": "3/min", "token": "2/min", "feed": "2/min"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", low)
    cache.clear()
    yield low
    cache.clear()


_slugs = itertools.count()


def _anonymous_post(client: Client, **meta: str) -> int:
    # A new (unknown) feed each time, so that only the per-address rate counts.
    response = client.post(
        f"/api/ingest/nobody-{next(_slugs)}/articles",
        data=b"{}",
        content_type="application/json",
        **meta,  # type: ignore[arg-type]
    )
    return response.status_code


def test_a_forged_x_forwarded_for_does_not_escape_the_throttle(
    client: Client, rates: dict[str, str]
) -> None:
    # No proxy in front (TRUSTED_PROXY_COUNT=0): the client is REMOTE_ADDR, whatever it writes.
    answers = [
        _anonymous_post(client, HTTP_X_FORWARDED_FOR=f"10.0.0.{i}", REMOTE_ADDR="198.51.100.7")
        for i in range(5)
    ]
    assert answers == [404, 404, 404, 429, 429]


def test_behind_one_trusted_proxy_the_address_it_saw_is_the_client(
    client: Client, rates: dict[str, str], settings: Any
) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = {"REMOTE_ADDR": "10.1.1.1"}
    # Whatever the client prepends, the proxy's last entry names it.
    same_client = [
        _anonymous_post(client, HTTP_X_FORWARDED_FOR=f"1.2.3.{i}, 203.0.113.5", **proxy)
        for i in range(4)
    ]
    assert same_client == [404, 404, 404, 429]
    other_client = _anonymous_post(client, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    assert other_client == 404


def test_the_trusted_proxy_count_setting_reaches_drf() -> None:
    from django.conf import settings

    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.TRUSTED_PROXY_COUNT == 0


def test_each_token_has_its_own_rate(client: Client, rates: dict[str, str]) -> None:
    user = User.objects.create_user("reader", password="reader-pass-123")
    token = Token.objects.create(user=user)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    answers = [
        client.get("/api/events/", REMOTE_ADDR=f"198.51.100.{i}", **auth).status_code  # type: ignore[arg-type]
        for i in range(3)
    ]
    assert answers == [200, 200, 429]


def test_each_feed_has_its_own_rate(client: Client, rates: dict[str, str]) -> None:
    feed = Feed.objects.create(slug="wire", name="Wire", secret="wire-secret-0123456789")
    answers = []
    for i in range(3):
        body = json.dumps({"external_id": f"r-{i}"}).encode()
        answers.append(
            client.post(
                f"/api/ingest/{feed.slug}/articles",
                data=body,
                content_type="application/json",
                headers={"X-Signature": sign(feed.secret, body)},
                REMOTE_ADDR=f"198.51.100.{i}",  # from many addresses: still one feed
            ).status_code
        )
    assert answers == [400, 400, 429]


# --- the admin login -------------------------------------------------------------------------


def test_repeated_failed_logins_lock_the_account_out_and_are_logged(
    client: Client, caplog: pytest.LogCaptureFixture, settings: Any
) -> None:
    User.objects.create_user("chief", password="right-pass-123", is_staff=True)
    with caplog.at_level(logging.WARNING, logger="axes"):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            failed = client.post(
                "/admin/login/?next=/admin/", {"username": "chief", "password": "wrong"}
            )
            assert failed.status_code == 200 and "correct username" in failed.text
        last = client.post("/admin/login/", {"username": "chief", "password": "wrong"})
        assert last.status_code == 429  # the limit reached: locked from this one on
    failures = [r.getMessage() for r in caplog.records if "login failure by" in r.getMessage()]
    assert len(failures) == settings.AXES_FAILURE_LIMIT == 5
    assert all("chief" in message and "127.0.0.1" in message for message in failures)
    assert any("Locking out" in r.getMessage() for r in caplog.records)
    locked = client.post(
        "/admin/login/?next=/admin/", {"username": "chief", "password": "right-pass-123"}
    )
    assert locked.status_code == 429 and "Too many failed logins" in locked.text
    assert client.get("/admin/").status_code == 302  # not logged in


def test_a_successful_login_resets_the_count(client: Client) -> None:
    User.objects.create_user("chief", password="right-pass-123", is_staff=True)
    for _ in range(3):
        client.post("/admin/login/", {"username": "chief", "password": "wrong"})
    ok = client.post("/admin/login/", {"username": "chief", "password": "right-pass-123"})
    assert ok.status_code == 302
    client.logout()
    for _ in range(3):
        client.post("/admin/login/", {"username": "chief", "password": "wrong"})
    assert client.post("/admin/login/", {"username": "chief", "password": "right-pass-123"})[
        "Location"
    ]


# --- headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/admin/login/", "/api/docs/", "/api/redoc/", "/api/events/"])
def test_every_page_carries_a_content_security_policy(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, path
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy
    assert "default-src 'self'" in policy and "frame-ancestors 'self'" in policy


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/", "/admin/login/"])
def test_pages_load_no_inline_script(client: Client, path: str) -> None:
    """script-src 'self' would block an inline script: every one must be a file."""
    import re

    html = client.get(path).text
    inline = [m for m in re.findall(r"<script([^>]*)>", html) if "src=" not in m]
    assert inline == [] or all("application/json" in attrs for attrs in inline), inline


def test_authenticated_api_answers_are_private_and_vary_by_authorization(
    client: Client,
) -> None:
    user = User.objects.create_user("reader", password="reader-pass-123")
    token = Token.objects.create(user=user)
    answer = client.get("/api/events/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert answer.status_code == 200
    assert "private" in answer["Cache-Control"]
    assert "Authorization" in answer["Vary"]

    client.force_login(user)  # a session is authentication too
    assert "private" in client.get("/api/events/")["Cache-Control"]


def test_anonymous_api_answers_vary_by_authorization_but_stay_cacheable(
    client: Client,
) -> None:
    answer = client.get("/api/events/")
    assert "Authorization" in answer["Vary"]
    assert "private" not in answer.get("Cache-Control", "")
