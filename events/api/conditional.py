"""ETags for state endpoints: a client polling an unchanged state gets 304, no body.

The tag is a hash of the state version at the request's time point (the projection
checkpoints, plus the log head for answers folded from the log; one small query for a
"now" read), the current minute and the full URL (so every query has its own tag),
computed before any state is read. The same tag keys a short-lived copy of the answer in
Django's cache: under load, repeated reads of an unchanged state skip the selector.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.utils.http import parse_etags
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from events.selectors import TimePoint, state_version

logger = logging.getLogger(__name__)

# The tag changes at least every minute, so a cached answer is never served past that.
ANSWER_CACHE_SECONDS = 90


def state_etag(request: Request, point: TimePoint) -> str:
    digest = hashlib.sha256(f"{state_version(point)}|{request.get_full_path()}".encode())
    return f'"{digest.hexdigest()[:32]}"'


def conditional_response(
    request: Request, point: TimePoint, produce: Callable[[], Any]
) -> Response:
    tag = state_etag(request, point)
    wanted = parse_etags(request.headers.get("If-None-Match", ""))
    if tag in wanted or "*" in wanted:
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
    return Response(_cached_answer(tag, produce), headers={"ETag": tag})


def _cached_answer(tag: str, produce: Callable[[], Any]) -> Any:
    key = f"tracker:api-answer:{tag.strip(chr(34))}"
    try:
        found = cache.get(key)
    except Exception:  # a cache is an optimisation: when it is down, answer without it
        logger.warning("answer cache unavailable", exc_info=True)
        return produce()
    if found is not None:
        return found
    answer = produce()
    try:
        cache.set(key, answer, ANSWER_CACHE_SECONDS)
    except Exception:
        logger.warning("answer cache unavailable", exc_info=True)
    return answer
