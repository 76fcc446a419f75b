"""Bulk exports: every matching incident in one streamed file, no page cap.

The same filters as `/api/incidents/` (and `as_of` / `known_at`), the file written a
chunk of incidents at a time while it is sent. Under ASGI the chunks are pulled through
`sync_to_async` (Django would otherwise read a synchronous iterator whole before
sending it); under WSGI the generator is handed over as it is."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpResponseBase, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request

from events.api import params, schemas
from events.api.views import ReadView
from events.exports.formats import FORMATS, ExportFormat
from events.selectors import TimePoint

F = TypeVar("F", bound=Callable[..., Any])


class ExportParams(params.IncidentParams):
    """The incident list's filters and time point, without its paging."""

    limit = None  # type: ignore[assignment]
    offset = None  # type: ignore[assignment]


def _ignore(done: int) -> None:
    pass


def _next_piece(pieces: Iterator[str]) -> str | None:
    return next(pieces, None)


async def _pulled(pieces: Iterator[str]) -> AsyncIterator[str]:
    pull = sync_to_async(_next_piece, thread_sensitive=True)
    while (piece := await pull(pieces)) is not None:
        yield piece


def export_response(request: Request, export: ExportFormat) -> HttpResponseBase:
    p = params.parse(ExportParams, request)
    point = TimePoint(as_of=p.get("as_of"), known_at=p.get("known_at"))
    pieces = export.pieces(point, params.incident_filter(p), _ignore)
    streamed = _pulled(pieces) if isinstance(request._request, ASGIRequest) else pieces
    response = StreamingHttpResponse(streamed, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="incidents.{export.extension}"'
    return response


def _documented(export: ExportFormat, summary: str) -> Callable[[F], F]:
    body = OpenApiTypes.OBJECT if export.name == "geojson" else OpenApiTypes.STR
    return extend_schema(
        operation_id=f"export_incidents_{export.name}",
        parameters=[ExportParams],
        responses={
            (200, export.content_type.split(";")[0]): OpenApiResponse(body),
            400: schemas.ErrorOut,
            401: schemas.ErrorOut,
            403: schemas.ErrorOut,
        },
        summary=summary,
    )


class CsvExportView(ReadView):
    @_documented(FORMATS["csv"], "Every matching incident as ACLED-like CSV (streamed)")
    def get(self, request: Request) -> HttpResponseBase:
        return export_response(request, FORMATS["csv"])


class PloverExportView(ReadView):
    @_documented(FORMATS["plover"], "Every matching incident as PLOVER JSON Lines (streamed)")
    def get(self, request: Request) -> HttpResponseBase:
        return export_response(request, FORMATS["plover"])


class GeoJsonExportView(ReadView):
    @_documented(FORMATS["geojson"], "Located matching incidents as a GeoJSON FeatureCollection")
    def get(self, request: Request) -> HttpResponseBase:
        return export_response(request, FORMATS["geojson"])
