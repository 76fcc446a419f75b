"""ETags for state endpoints: a client polling an unchanged state gets 304, no body.

The tag is a hash of the log head, the projection checkpoints, the current minute and the
full URL (so every query has its own tag), computed before any state is read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.utils.http import parse_etags
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from events.selectors import state_version


def state_etag(request: Request) -> str:
    digest = hashlib.sha256(f"{state_version()}|{request.get_full_path()}".encode())
    return f'"{digest.hexdigest()[:32]}"'


def conditional_response(request: Request, produce: Callable[[], Any]) -> Response:
    tag = state_etag(request)
    wanted = parse_etags(request.headers.get("If-None-Match", ""))
    if tag in wanted or "*" in wanted:
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
    return Response(produce(), headers={"ETag": tag})
