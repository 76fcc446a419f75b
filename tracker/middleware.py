"""Request hygiene that has to run before Django's own middleware."""

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

from events import replicas

API_PREFIX = "/api/"


class DropMalformedCookiesMiddleware:
    """Forget cookies whose value holds a NUL byte.

    No cookie we set can contain one, and passed on it makes the session lookup fail in
    the database driver (a 500 before any view runs). A corrupt cookie is no cookie.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in value for value in request.COOKIES.values()):
            request.COOKIES = {k: v for k, v in request.COOKIES.items() if "\x00" not in v}
        return self.get_response(request)


# Read API requests answer from a replica; the ingest API (it writes) stays on the primary,
# and so do the live log's waits (the SSE stream, long polls with ?wait=): they wake on the
# primary's NOTIFY, and a replica may not have replayed the event that woke them yet.
REPLICA_READ_PREFIXES = (API_PREFIX,)
PRIMARY_ONLY_PREFIXES = ("/api/ingest/", "/api/events/stream")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def reads_from_replica(request: HttpRequest) -> bool:
    return (
        request.method in SAFE_METHODS
        and request.path.startswith(REPLICA_READ_PREFIXES)
        and not request.path.startswith(PRIMARY_ONLY_PREFIXES)
        and "wait" not in request.GET
    )


class ReplicaReadsMiddleware:
    """Read API requests (and the exports' streamed bodies) read from the next replica
    (events.replicas); the answer says how far behind it was (`X-Replica-Lag`, seconds,
    measured on the replica as the request began) and which database it came from
    (`X-Read-From`). With no replica configured, or none answering, it is the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not replicas.replica_aliases() or not reads_from_replica(request):
            return self.get_response(request)
        with replicas.replica_reads() as lag:
            response = self.get_response(request)
        alias = lag.alias if lag else DEFAULT_DB_ALIAS
        if isinstance(response, StreamingHttpResponse):
            response.streaming_content = _reading_from(alias, response)
        response.headers["X-Read-From"] = alias
        if lag is not None:
            response.headers["X-Replica-Lag"] = lag.header()
        return response


def _reading_from(
    alias: str, response: StreamingHttpResponse
) -> Iterator[bytes] | AsyncIterator[bytes]:
    """A streamed body produced chunk by chunk with its reads on `alias`: a streaming
    response (an export) is produced after the middleware has returned."""
    content: Any = response.streaming_content
    if response.is_async:

        async def chunks_async() -> AsyncIterator[bytes]:
            iterator = aiter(content)
            while True:
                with replicas.reading_from(alias):
                    try:
                        chunk = await anext(iterator)
                    except StopAsyncIteration:
                        return
                yield chunk

        return chunks_async()

    def chunks() -> Iterator[bytes]:
        iterator = iter(content)
        while True:
            with replicas.reading_from(alias):
                try:
                    chunk = next(iterator)
                except StopIteration:
                    return
            yield chunk

    return chunks()


class PrivateApiAnswersMiddleware:
    """API answers vary by who asks: every one says `Vary: Authorization`, so a shared cache
    never hands one client's answer to another, and an authenticated one is also
    `Cache-Control: private`, so no shared cache keeps it at all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX):
            return response
        patch_vary_headers(response, ["Authorization"])
        user = getattr(request, "user", None)  # DRF sets it after its own authentication
        if "HTTP_AUTHORIZATION" in request.META or (user is not None and user.is_authenticated):
            patch_cache_control(response, private=True)
        return response
