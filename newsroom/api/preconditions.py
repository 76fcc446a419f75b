"""`If-Match: "<version>"` on the editor commands: the stream version the editor acted on.

The commands change an incident someone else may have changed a moment ago, so the
client must say which version it read (the `version` field of /api/incidents/<id>/):
428 when it says none, 412 when the incident has moved on since, 400 when the header is
not a version at all.
"""

from __future__ import annotations

from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.request import Request


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = (
        'If-Match is required: send the version you read, e.g. If-Match: "3" '
        "(the `version` field of /api/incidents/<id>/)"
    )


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


def stale(what: str, seen: int, current: int) -> PreconditionFailed:
    return PreconditionFailed(
        f'{what} is at version {current}, you sent If-Match: "{seen}": it changed since '
        "you read it. Nothing was written; read it again and decide."
    )


def version_etag(version: int) -> str:
    return f'"{version}"'


def expected_version(request: Request) -> int:
    """The version in If-Match (`"3"`, `W/"3"` or `3`)."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    text = header.removeprefix("W/").strip('"')
    if not text.isdigit() or int(text) < 1 or len(text) > 9:
        raise ParseError(
            f'If-Match {header!r} is not an incident version: send e.g. If-Match: "3" '
            "(one version, not a list, not *)"
        )
    return int(text)
