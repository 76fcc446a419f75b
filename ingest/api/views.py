"""The push endpoints feeds call: JSON articles and RSS/Atom documents, HMAC-signed.

Checks run cheapest and least revealing first: the feed exists (404), the body is not too
large (413) and has the right content type (415), the signature matches and is recent
(401), the body parses (400). Only then is anything stored, in one transaction with the
delivery id (a replay: 409) and the check that updates move forward (409). Each refusal
of a known feed is counted, with its error, for the feed's admin page.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, UnsupportedMediaType, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from ingest import push_records, selectors, services
from ingest.errors import ReplayedDelivery, StaleContent
from ingest.models import Feed
from ingest.payloads import ArticleDraft, PayloadError, parse_article_batch, parse_feed_document
from ingest.signatures import SignatureError, verify

from .serializers import PushedArticleSerializer, PushErrorSerializer, PushResultSerializer
from .throttles import FeedRateThrottle

JSON_TYPES = ("application/json",)
DELIVERY_ID = re.compile(r"[!-~]{1,200}")  # printable ASCII, no spaces
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
)


class BadSignature(APIException):
    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = "missing or wrong X-Signature (t=<unix>,v1=<hex HMAC-SHA256 of '<t>.<body>'>)"
    default_code = "bad_signature"


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "the body is larger than the limit"
    default_code = "too_large"


class PushConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "the push conflicts with what is stored"
    default_code = "conflict"


class _SignedPushView(APIView):
    authentication_classes: list[type] = []  # the HMAC signature is the authentication
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, FeedRateThrottle]
    content_types: tuple[str, ...] = ()
    parse: Callable[[bytes], list[ArticleDraft]]

    def post(self, request: Request, slug: str) -> Response:
        feed = self._feed(slug)
        try:
            result = self._receive(request, feed)
        except APIException as error:
            push_records.record_refusal(
                feed=feed, status=error.status_code, error=_message(error.detail)
            )
            raise
        push_records.record_push(feed=feed, accepted=bool(result.to_classify))
        code = status.HTTP_202_ACCEPTED if result.to_classify else status.HTTP_200_OK
        return Response(
            {
                "ids": result.ids,
                "created": result.created,
                "updated": result.updated,
                "duplicates": result.duplicates,
            },
            status=code,
        )

    def _receive(self, request: Request, feed: Feed) -> services.ReceiveResult:
        body = self._body(request)
        try:
            verify(
                secrets=selectors.signing_secrets(feed=feed, now=timezone.now()),
                body=body,
                header=request.headers.get("X-Signature"),
                now=time.time(),
                tolerance_seconds=settings.TRACKER_SIGNATURE_TOLERANCE_SECONDS,
                allow_body_only=feed.accepts_body_only_signatures,
            )
        except SignatureError as error:
            raise BadSignature(str(error)) from None
        delivery_id = _delivery_id(request)
        try:
            drafts = type(self).parse(body)
        except PayloadError as error:
            raise ValidationError({error.field: [error.message]}) from None
        try:
            return services.receive_articles(feed=feed, drafts=drafts, delivery_id=delivery_id)
        except (StaleContent, ReplayedDelivery) as error:
            raise PushConflict(str(error)) from None

    def _feed(self, slug: str) -> Feed:
        feed = selectors.active_feed(slug=slug)
        if feed is None:
            raise NotFound(f"no active feed {slug!r}")
        return feed

    def _body(self, request: Request) -> bytes:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > limit:
            raise BodyTooLarge(f"the body is {declared} bytes; the limit is {limit}")
        content_type = (request.content_type or "").split(";")[0].strip().lower()
        if content_type not in self.content_types:
            raise UnsupportedMediaType(
                content_type or "none",
                detail=f"content type {content_type or 'missing'!r}; "
                f"send one of {', '.join(self.content_types)}",
            )
        body: bytes = request._request.body  # raw bytes, exactly what was signed
        if len(body) > limit:
            raise BodyTooLarge(f"the body is {len(body)} bytes; the limit is {limit}")
        return body


def _delivery_id(request: Request) -> str | None:
    raw = request.headers.get("X-Delivery-Id")
    if raw is None:
        return None
    value = raw.strip()
    if not DELIVERY_ID.fullmatch(value):
        raise ValidationError({"X-Delivery-Id": ["1 to 200 printable ASCII characters, no spaces"]})
    return value


def _message(detail: Any) -> str:
    if isinstance(detail, dict):
        return "; ".join(f"{field}: {_message(value)}" for field, value in detail.items())
    if isinstance(detail, list):
        return " ".join(_message(item) for item in detail)
    return str(detail)


SIGNATURE = OpenApiParameter(
    "X-Signature",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="t=<unix seconds>,v1=<hex HMAC-SHA256 of '<t>.<raw body>' with the feed's "
    "secret>; t must be within the tolerance (300 s by default) of the server's clock",
)
DELIVERY = OpenApiParameter(
    "X-Delivery-Id",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="optional id of this delivery; the same id again within the tolerance "
    "window is refused as a replay (409)",
)
ERROR = PushErrorSerializer
PUSH_RESPONSES = {
    202: OpenApiResponse(PushResultSerializer, "stored; new or changed articles queued"),
    200: OpenApiResponse(PushResultSerializer, "all duplicates: the stored ids"),
    400: OpenApiResponse(ERROR, "malformed body or a bad field (named); nothing stored"),
    401: OpenApiResponse(ERROR, "missing, wrong or stale signature; nothing stored"),
    404: OpenApiResponse(ERROR, "unknown or inactive feed"),
    409: OpenApiResponse(
        ERROR, "a replayed delivery id, or an update older than the stored version"
    ),
    413: OpenApiResponse(ERROR, "body over the limit (2 MB)"),
    415: OpenApiResponse(ERROR, "wrong content type"),
    429: OpenApiResponse(ERROR, "too many pushes from this address or to this feed"),
}


class ArticlePushView(_SignedPushView):
    content_types = JSON_TYPES
    parse = staticmethod(parse_article_batch)

    @extend_schema(
        operation_id="ingest_push_articles",
        summary="Push one article or a list of up to 100 (all or nothing)",
        request=PushedArticleSerializer(many=True),
        parameters=[SIGNATURE, DELIVERY],
        responses=PUSH_RESPONSES,
        tags=["ingest"],
    )
    def post(self, request: Request, slug: str) -> Response:
        return super().post(request, slug)


class FeedDocumentPushView(_SignedPushView):
    content_types = FEED_TYPES
    parse = staticmethod(parse_feed_document)

    @extend_schema(
        operation_id="ingest_push_feed_document",
        summary="Push an RSS or Atom document: each entry becomes an article",
        request={media: OpenApiTypes.STR for media in FEED_TYPES},
        parameters=[SIGNATURE, DELIVERY],
        responses=PUSH_RESPONSES,
        tags=["ingest"],
    )
    def post(self, request: Request, slug: str) -> Response:
        return super().post(request, slug)
