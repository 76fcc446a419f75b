"""The live log: `GET /api/events/stream` (Server-Sent Events) and the long poll of
`GET /api/events/?after=...&wait=N`.

SSE: one `message` per log event, its `id:` the gap-free cursor and its data the event
as `/api/events/` shows it. A client that reconnects sends `Last-Event-ID` (EventSource
does) or `?after=` and continues with nothing skipped and nothing twice; a comment line
every `TRACKER_STREAM_HEARTBEAT_SECONDS` keeps proxies from closing a quiet stream.
Under ASGI the stream is an async generator fed by the process's log tail (no thread
held while it waits); under WSGI (the development server) a thread polls the database.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator
from typing import Any

import orjson
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpResponseBase, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from events import store
from events.api import params, schemas
from events.api.permissions import ReadAccess
from events.live.follow import follow
from events.live.notify import SQLITE_POLL_SECONDS, wait_for_new
from events.live.tail import log_tail
from events.selectors import event_json, log_page

MAX_WAIT = 30
SYNC_BATCH = 500


class EventStreamRenderer(BaseRenderer):
    """Lets `Accept: text/event-stream` through content negotiation; errors are JSON."""

    media_type = "text/event-stream"
    format = "sse"

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> bytes:
        return orjson.dumps(data)


class StreamParams(serializers.Serializer):
    after = serializers.CharField(
        required=False, allow_blank=True, help_text="start after this cursor (Last-Event-ID wins)"
    )
    type = serializers.CharField(required=False, help_text="only events of this type")
    stream = serializers.CharField(required=False, help_text="only events of this stream")


class WaitingLogParams(params.LogParams):
    wait = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_WAIT,
        default=0,
        help_text="seconds to wait for an event when there is none after `after` (max 30)",
    )


def heartbeat_seconds() -> float:
    return float(getattr(settings, "TRACKER_STREAM_HEARTBEAT_SECONDS", 15.0))


def sse_message(event: store.RecordedEvent) -> bytes:
    return b"id: " + event.cursor.encode() + b"\ndata: " + orjson.dumps(event_json(event)) + b"\n\n"


HEARTBEAT = b": heartbeat\n\n"
PREAMBLE = b"retry: 2000\n\n"


# Every subscriber of a process sends the same new events: encode each one once. Only the
# event loop's thread touches this (the async path); oldest entries go first.
_ENCODED: OrderedDict[str, bytes] = OrderedDict()
ENCODED_KEPT = 20_000


def _encoded(event: store.RecordedEvent) -> bytes:
    message = _ENCODED.get(event.cursor)
    if message is None:
        message = _ENCODED[event.cursor] = sse_message(event)
        if len(_ENCODED) > ENCODED_KEPT:
            _ENCODED.popitem(last=False)
    return message


async def _sse_async(
    after: str, types: list[str] | None, stream_id: str | None
) -> AsyncIterator[bytes]:
    yield PREAMBLE
    batches = follow(
        log_tail(), after, types=types, stream_id=stream_id, heartbeat=heartbeat_seconds()
    )
    async for batch in batches:
        yield b"".join(map(_encoded, batch)) if batch else HEARTBEAT


def _sse_polling(after: str, types: list[str] | None, stream_id: str | None) -> Iterator[bytes]:
    """The stream for a synchronous server: this thread polls the log."""
    yield PREAMBLE
    quiet_since = time.monotonic()
    while True:
        batch = store.read_all(after=after, limit=SYNC_BATCH, types=types, stream_id=stream_id)
        if batch:
            after = batch[-1].cursor
            quiet_since = time.monotonic()
            yield b"".join(map(sse_message, batch))
            continue
        if time.monotonic() - quiet_since >= heartbeat_seconds():
            quiet_since = time.monotonic()
            yield HEARTBEAT
        time.sleep(SQLITE_POLL_SECONDS)


class EventStreamView(APIView):
    permission_classes = [ReadAccess]
    renderer_classes = [EventStreamRenderer, JSONRenderer]

    @extend_schema(
        operation_id="events_stream",
        parameters=[
            StreamParams,
            OpenApiParameter(
                "Last-Event-ID",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="the id of the last event received: continue after it",
            ),
        ],
        responses={
            (200, "text/event-stream"): OpenApiResponse(
                OpenApiTypes.STR, description="id: cursor, data: the event as in /api/events/"
            ),
            400: schemas.ErrorOut,
            401: schemas.ErrorOut,
            403: schemas.ErrorOut,
        },
        summary="The log as it grows, as Server-Sent Events (resumable by Last-Event-ID)",
    )
    def get(self, request: Request) -> HttpResponseBase:
        p = params.parse(StreamParams, request)
        after = request.headers.get("Last-Event-ID") or p.get("after") or ""
        try:
            store.parse_cursor(after)
        except store.InvalidCursor as error:
            raise exceptions.ValidationError({"after": [str(error)]}) from None
        types = [p["type"]] if p.get("type") else None
        stream_id = p.get("stream")
        if isinstance(request._request, ASGIRequest):
            body: Any = _sse_async(after, types, stream_id)
        else:
            body = _sse_polling(after, types, stream_id)
        response = StreamingHttpResponse(body, content_type="text/event-stream")
        response["Cache-Control"] = "no-cache"
        response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
        return response


def waiting_log_page(p: dict[str, Any]) -> dict[str, Any]:
    """`/api/events/`'s page; with `wait`, held open up to that many seconds until the
    page has an event (raises store.InvalidCursor as log_page does)."""

    def read() -> dict[str, Any]:
        return log_page(
            after=p.get("after") or None,
            limit=p["limit"],
            types=[p["type"]] if p.get("type") else None,
            stream_id=p.get("stream"),
        )

    return wait_for_new(read, lambda page: bool(page["results"]), float(p.get("wait") or 0))
