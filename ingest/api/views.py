"""The push endpoints feeds call: JSON articles and RSS/Atom documents, HMAC-signed.

Checks run cheapest and least revealing first: the feed exists (404), the body is not too
large (413) and has the right content type (415), the signature matches (401), the body
parses (400). Only then is anything stored.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, UnsupportedMediaType, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ingest import selectors, services
from ingest.models import Feed
from ingest.payloads import ArticleDraft, PayloadError, parse_article_batch, parse_feed_document
from ingest.signatures import signature_matches

from .serializers import PushedArticleSerializer, PushErrorSerializer, PushResultSerializer

JSON_TYPES = ("application/json",)
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
)


class BadSignature(APIException):
    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = "missing or wrong X-Signature (sha256=<hex HMAC-SHA256 of the body>)"
    default_code = "bad_signature"


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "the body is larger than the limit"
    default_code = "too_large"


class _SignedPushView(APIView):
    authentication_classes: list[type] = []  # the HMAC signature is the authentication
    permission_classes = [AllowAny]
    content_types: tuple[str, ...] = ()
    parse: Callable[[bytes], list[ArticleDraft]]

    def post(self, request: Request, slug: str) -> Response:
        feed = self._feed(slug)
        body = self._body(request)
        if not signature_matches(feed.secret, body, request.headers.get("X-Signature")):
            raise BadSignature()
        try:
            drafts = type(self).parse(body)
        except PayloadError as error:
            raise ValidationError({error.field: [error.message]}) from None
        result = services.receive_articles(feed=feed, drafts=drafts)
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


SIGNATURE = OpenApiParameter(
    "X-Signature",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="sha256=<hex HMAC-SHA256 of the raw body with the feed's secret>",
)
ERROR = PushErrorSerializer
PUSH_RESPONSES = {
    202: OpenApiResponse(PushResultSerializer, "stored; new or changed articles queued"),
    200: OpenApiResponse(PushResultSerializer, "all duplicates: the stored ids"),
    400: OpenApiResponse(ERROR, "malformed body or a bad field (named); nothing stored"),
    401: OpenApiResponse(ERROR, "missing or wrong signature; nothing stored"),
    404: OpenApiResponse(ERROR, "unknown or inactive feed"),
    413: OpenApiResponse(ERROR, "body over the limit (2 MB)"),
    415: OpenApiResponse(ERROR, "wrong content type"),
}


class ArticlePushView(_SignedPushView):
    content_types = JSON_TYPES
    parse = staticmethod(parse_article_batch)

    @extend_schema(
        operation_id="ingest_push_articles",
        summary="Push one article or a list of up to 100 (all or nothing)",
        request=PushedArticleSerializer(many=True),
        parameters=[SIGNATURE],
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
        parameters=[SIGNATURE],
        responses=PUSH_RESPONSES,
        tags=["ingest"],
    )
    def post(self, request: Request, slug: str) -> Response:
        return super().post(request, slug)
