"""The client's address as the API throttles and the admin login lockout see it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in front, the address the
    outermost trusted proxy appended to X-Forwarded-For: entries left of it were written
    by the client and prove nothing. The same rule as DRF's NUM_PROXIES."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if count == 0 or not forwarded:
        return remote
    addresses = [a.strip() for a in str(forwarded).split(",")]
    return addresses[-min(count, len(addresses))] or remote
