"""Read API over the log and the projections. Each view validates its query parameters,
calls one selector and returns what it built; errors become JSON 400/404 answers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.http import HttpResponseBase
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from events import selectors, store
from events.api import etags, params, schemas, stream
from events.api.conditional import conditional_response
from events.api.pagination import page_json
from events.api.permissions import ReadAccess

ERRORS = {400: schemas.ErrorOut, 401: schemas.ErrorOut, 403: schemas.ErrorOut}
WITH_404 = {**ERRORS, 404: schemas.ErrorOut}


@contextmanager
def translated_errors() -> Iterator[None]:
    try:
        yield
    except selectors.NotFound as error:
        raise exceptions.NotFound(str(error)) from None
    except store.InvalidCursor as error:
        raise exceptions.ValidationError({"after": [str(error)]}) from None


class ReadView(APIView):
    permission_classes = [ReadAccess]


def answer(
    request: Request,
    point: selectors.TimePoint,
    produce: Callable[[], Any],
    *,
    ticks: str = etags.STILL,
) -> HttpResponseBase:
    """A state answer at a time point: conditional on its ETag, selector errors translated.
    `ticks`: how often the answer changes with the clock alone (etags.DAILY...)."""

    def guarded() -> Any:
        with translated_errors():
            return produce()

    return conditional_response(request, point, guarded, ticks)


def paged_answer(
    request: Request,
    query_params: type,
    select_page: Callable[..., Any],
    filters: Callable[[dict[str, Any]], dict[str, Any]],
    *,
    ticks: str = etags.STILL,
) -> HttpResponseBase:
    """A page of a state list: parse the query, pick the time point, select one page with
    the filters `filters` reads from the query, and answer it conditionally."""
    p = params.parse(query_params, request)
    point = params.time_point(p)
    return answer(
        request,
        point,
        lambda: page_json(
            request, select_page(point, offset=p["offset"], limit=p["limit"], **filters(p))
        ),
        ticks=ticks,
    )


class EventLogView(ReadView):
    @extend_schema(
        operation_id="events_list",
        parameters=[stream.WaitingLogParams],
        responses={200: schemas.LogPageOut, **ERRORS},
        summary="The event log in read order, from a cursor (`wait`: long poll)",
    )
    def get(self, request: Request) -> HttpResponseBase:
        p = params.parse(stream.WaitingLogParams, request)
        with translated_errors():
            page = stream.waiting_log_page(p)
        return Response(page)


class StreamView(ReadView):
    @extend_schema(
        operation_id="stream_retrieve",
        responses={200: schemas.StreamOut, **WITH_404},
        summary="One stream's events",
    )
    def get(self, request: Request, stream_id: str) -> HttpResponseBase:
        with translated_errors():
            return Response(selectors.stream_events(stream_id))


class IncidentListView(ReadView):
    @extend_schema(
        operation_id="incidents_list",
        parameters=[params.IncidentParams],
        responses={200: schemas.IncidentPageOut, **ERRORS},
        summary="Incidents, filtered",
    )
    def get(self, request: Request) -> HttpResponseBase:
        return paged_answer(
            request,
            params.IncidentParams,
            selectors.list_incidents,
            lambda p: {"wanted": params.incident_filter(p)},
        )


class IncidentDetailView(ReadView):
    @extend_schema(
        operation_id="incident_retrieve",
        parameters=[params.TimeParams],
        responses={200: schemas.IncidentDetailOut, **WITH_404},
        summary="One incident with its sources and event history",
    )
    def get(self, request: Request, incident_id: str) -> HttpResponseBase:
        point = params.time_point(params.parse(params.TimeParams, request))
        return answer(request, point, lambda: selectors.incident_detail(incident_id, point))


class ActorListView(ReadView):
    @extend_schema(
        operation_id="actors_list",
        parameters=[params.TimeParams],
        responses={200: schemas.ActorOut(many=True), **ERRORS},
        summary="Actors: the registry and every code an incident names",
    )
    def get(self, request: Request) -> HttpResponseBase:
        point = params.time_point(params.parse(params.TimeParams, request))
        return answer(request, point, lambda: selectors.list_actors(point))


class ActorDetailView(ReadView):
    @extend_schema(
        operation_id="actor_retrieve",
        parameters=[params.ActorParams],
        responses={200: schemas.ActorDetailOut, **WITH_404},
        summary="An actor: summaries of its forces, stances, open ultimatums and newest "
        "incidents, with links to the full lists",
    )
    def get(self, request: Request, code: str) -> HttpResponseBase:
        p = params.parse(params.ActorParams, request)
        point = params.time_point(p)
        return answer(
            request,
            point,
            lambda: selectors.actor_detail(code, point, include_children=p["include_children"]),
            ticks=etags.EVERY_MINUTE,  # its open ultimatums expire
        )


class ForceListView(ReadView):
    @extend_schema(
        operation_id="forces_list",
        parameters=[params.ForceParams],
        responses={200: schemas.ForcePageOut, **ERRORS},
        summary="Force levels per actor, country and place",
    )
    def get(self, request: Request) -> HttpResponseBase:
        return paged_answer(
            request,
            params.ForceParams,
            selectors.forces_page,
            lambda p: {"actor": p.get("actor"), "country": p.get("country")},
        )


class StanceListView(ReadView):
    @extend_schema(
        operation_id="stances_list",
        parameters=[params.StanceParams],
        responses={200: schemas.StancePageOut, **ERRORS},
        summary="Stances of ordered actor pairs, from -10 (hostile) to +10 (friendly)",
    )
    def get(self, request: Request) -> HttpResponseBase:
        return paged_answer(
            request,
            params.StanceParams,
            selectors.stances_page,
            lambda p: {"actor": p.get("actor"), "target": p.get("target")},
            ticks=etags.DAILY,  # scores decay by the day
        )


class UltimatumListView(ReadView):
    @extend_schema(
        operation_id="ultimatums_list",
        parameters=[params.UltimatumParams],
        responses={200: schemas.UltimatumPageOut, **ERRORS},
        summary="Ultimatums and their status",
    )
    def get(self, request: Request) -> HttpResponseBase:
        return paged_answer(
            request,
            params.UltimatumParams,
            selectors.ultimatums_page,
            lambda p: {
                "status": p.get("status"),
                "actors": {p["actor"]} if p.get("actor") else None,
            },
            ticks=etags.EVERY_MINUTE,  # open ones expire at their deadline
        )
