"""ETags for state endpoints: a client polling an unchanged state gets 304, no body.

The tag is a hash of the state version at the request's time point (the projection
checkpoints, plus the log head for answers folded from the log; one small query for a
"now" read), the clock where the answer ages by itself (the minute for ultimatums, the day
for stance scores) and the full URL (so every query has its own tag),
computed before any state is read. The same tag keys a short-lived copy of the rendered
JSON answer in Django's cache: under load, repeated reads of an unchanged state skip the
selector and the rendering (a page of force rows takes milliseconds to render).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBase
from django.utils.http import parse_etags
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from events.api.etags import state_version
from events.selectors import TimePoint

logger = logging.getLogger(__name__)

# A cached answer is only ever served under its own tag; the timeout just frees memory.
ANSWER_CACHE_SECONDS = 300


def state_etag(request: Request, point: TimePoint, ticks: str) -> str:
    version = state_version(point, ticks)
    digest = hashlib.sha256(f"{version}|{request.get_full_path()}".encode())
    return f'"{digest.hexdigest()[:32]}"'


def conditional_response(
    request: Request, point: TimePoint, produce: Callable[[], Any], ticks: str
) -> HttpResponseBase:
    tag = state_etag(request, point, ticks)
    # If-None-Match compares weakly (RFC 9110 13.1.2): W/"x" matches "x", as a proxy or
    # a compressing middleware may have weakened the tag the client kept
    wanted = [t.removeprefix("W/") for t in parse_etags(request.headers.get("If-None-Match", ""))]
    if tag in wanted or "*" in wanted:
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
    renderer = getattr(request, "accepted_renderer", None)
    if not isinstance(renderer, JSONRenderer):  # the browsable API: rendered per request
        return Response(produce(), headers={"ETag": tag})
    media_type = str(request.accepted_media_type)  # may carry an indent
    key = f"tracker:api-answer:{tag.strip(chr(34))}:{media_type}"

    def render() -> bytes:
        return bytes(renderer.render(produce(), media_type, {"request": request}))

    content = _cached(key, render)
    return HttpResponse(content, content_type=renderer.media_type, headers={"ETag": tag})


def _cached(key: str, render: Callable[[], bytes]) -> bytes:
    try:
        found = cache.get(key)
    except Exception:  # a cache is an optimisation: when it is down, answer without it
        logger.warning("answer cache unavailable", exc_info=True)
        return render()
    if isinstance(found, bytes):
        return found
    content = render()
    try:
        cache.set(key, content, ANSWER_CACHE_SECONDS)
    except Exception:
        logger.warning("answer cache unavailable", exc_info=True)
    return content
