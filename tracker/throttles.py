"""A rate per API token (TOKEN_THROTTLE_RATE): a token shared by many machines, or one
client opening many addresses, is still one client."""

from __future__ import annotations

import hashlib
from typing import Any

from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not isinstance(request.auth, Token):
            return None  # session or anonymous: the other throttles apply
        # The key itself never goes into the cache: a hash of it names the bucket.
        ident = hashlib.sha256(request.auth.key.encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": ident}
