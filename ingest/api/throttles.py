"""A rate per feed on the push endpoints (FEED_THROTTLE_RATE), on top of the per-address
anonymous rate: a feed's secret leaked to many machines is still one feed."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


class FeedRateThrottle(SimpleRateThrottle):
    scope = "feed"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        slug = view.kwargs.get("slug")
        if not slug:
            return None
        return self.cache_format % {"scope": self.scope, "ident": slug}
