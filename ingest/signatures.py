"""Signatures of pushed bodies, in the Stripe style: `X-Signature: t=<unix>,v1=<hex>`.

`v1` is the hex HMAC-SHA256, with the feed's secret, of `"<t>.<raw body>"`: the bytes as
received, before any parsing, so a body cannot be re-encoded on the way in unnoticed, and
the timestamp is signed with it, so a captured push stops working once `t` falls outside
the tolerance. Several `v1=` entries may be sent (one per secret while a secret rotates).

The old body-only scheme (`sha256=<hex HMAC-SHA256 of the body>`) carries no time, so a
captured push could be replayed forever: it is accepted only for a feed that opts in.
No Django here: the caller passes the secrets, the clock and the tolerance.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Sequence
from dataclasses import dataclass

BODY_ONLY_SCHEME = "sha256="
MAX_HEADER_LENGTH = 2048  # a timestamp and a few signatures; anything longer is not one
MAX_TIMESTAMP_DIGITS = 12  # unix seconds until the year 33658
HEX_DIGEST_LENGTH = 64


class SignatureError(ValueError):
    """A push whose signature is missing, malformed, stale or wrong; the message says which."""


@dataclass(frozen=True)
class SignedHeader:
    timestamp: int
    signatures: tuple[str, ...]


def _mac(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    """The `X-Signature` header value for `body`, signed at `timestamp` (now by default)."""
    t = int(time.time()) if timestamp is None else timestamp
    return f"t={t},v1={_mac(secret, f'{t}.'.encode() + body)}"


def sign_body_only(secret: str, body: bytes) -> str:
    """The legacy header, for feeds that opted in to it: no time, so replayable."""
    return f"{BODY_ONLY_SCHEME}{_mac(secret, body)}"


def parse_header(header: str) -> SignedHeader:
    """`t=<digits>,v1=<hex>[,v1=<hex>...]`; unknown keys (future schemes) are ignored."""
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            raise SignatureError(f"X-Signature: {part.strip()[:40]!r} is not key=value")
        if key == "t":
            if not value.isdigit() or len(value) > MAX_TIMESTAMP_DIGITS:
                raise SignatureError("X-Signature: t must be unix seconds (digits only)")
            timestamp = int(value)
        elif key == "v1":
            if len(value) != HEX_DIGEST_LENGTH or any(c not in "0123456789abcdef" for c in value):
                raise SignatureError("X-Signature: v1 must be 64 lower-case hex digits")
            signatures.append(value)
    if timestamp is None:
        raise SignatureError("X-Signature: t=<unix seconds> is missing")
    if not signatures:
        raise SignatureError("X-Signature: v1=<hex HMAC-SHA256> is missing")
    return SignedHeader(timestamp=timestamp, signatures=tuple(signatures))


def verify(
    *,
    secrets: Sequence[str],
    body: bytes,
    header: str | None,
    now: float,
    tolerance_seconds: int,
    allow_body_only: bool = False,
) -> None:
    """Return when `header` signs `body` with one of `secrets` within the tolerance;
    raise SignatureError with a message otherwise. Constant-time comparisons."""
    secrets = [s for s in secrets if s]
    if not header or not header.strip():
        raise SignatureError(
            "X-Signature is missing: send t=<unix seconds>,v1=<hex HMAC-SHA256 of '<t>.<body>'>"
        )
    if len(header) > MAX_HEADER_LENGTH or not header.isascii():
        raise SignatureError("X-Signature must be short ASCII: t=<unix seconds>,v1=<hex>")
    header = header.strip()
    if header.startswith(BODY_ONLY_SCHEME):
        if not allow_body_only:
            raise SignatureError(
                "this feed does not accept body-only signatures (sha256=...); "
                "send t=<unix seconds>,v1=<hex HMAC-SHA256 of '<t>.<body>'>"
            )
        if not any(hmac.compare_digest(sign_body_only(s, body), header) for s in secrets):
            raise SignatureError("X-Signature does not match the body")
        return
    signed = parse_header(header)
    skew = int(now) - signed.timestamp
    if abs(skew) > tolerance_seconds:
        raise SignatureError(
            f"X-Signature timestamp t={signed.timestamp} is {abs(skew)} s "
            f"{'old' if skew > 0 else 'in the future'}; the tolerance is {tolerance_seconds} s"
        )
    message = f"{signed.timestamp}.".encode() + body
    expected = [_mac(s, message) for s in secrets]
    if not any(hmac.compare_digest(e, given) for e in expected for given in signed.signatures):
        raise SignatureError("X-Signature does not match the body and timestamp")


def signature_matches(
    secret: str,
    body: bytes,
    header: str | None,
    *,
    tolerance_seconds: int = 300,
    allow_body_only: bool = False,
) -> bool:
    """True when `header` is this body's signature, signed within the tolerance of now."""
    try:
        verify(
            secrets=[secret],
            body=body,
            header=header,
            now=time.time(),
            tolerance_seconds=tolerance_seconds,
            allow_body_only=allow_body_only,
        )
    except SignatureError:
        return False
    return True
