"""HMAC-SHA256 signatures of pushed bodies: `X-Signature: sha256=<hex>`.

The signature covers the raw bytes as received, before any parsing, so a body cannot be
re-encoded on the way in without the signature noticing.
"""

from __future__ import annotations

import hashlib
import hmac

SCHEME = "sha256="


def sign(secret: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"{SCHEME}{digest}"


def signature_matches(secret: str, body: bytes, header: str | None) -> bool:
    """True when `header` is this body's signature; constant-time, so it leaks nothing."""
    if not header or not header.startswith(SCHEME) or not secret:
        return False
    return hmac.compare_digest(sign(secret, body), header.strip())
