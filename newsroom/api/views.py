"""Editor commands over the API, for newsroom tools: report, verify, correct, retract and
merge incidents. Each calls the same `events.services` command the admin calls, so it
appends the same event with the user in its metadata.

Only users with the command's permission (the Editors group) may call them: 401 without a
token, 403 with a token of anyone else. The incident commands need `If-Match: "<version>"`
(newsroom.api.preconditions): 428 without it, 412 when the incident moved on.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponseBase
from django.urls import resolve, reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from events import selectors, services, store
from events.domain import DomainError
from newsroom import groups

from . import preconditions
from .serializers import (
    CommandErrorOut,
    CommandOut,
    CorrectIn,
    MergeIn,
    ReportIn,
    RetractIn,
    VerifyIn,
)

IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description='The incident version you read, in quotes: "3" (428 without it, 412 if stale)',
)
REFUSALS = {
    400: CommandErrorOut,
    401: CommandErrorOut,
    403: CommandErrorOut,
    404: CommandErrorOut,
    412: CommandErrorOut,
    428: CommandErrorOut,
}


class MayRunCommand(BasePermission):
    """A signed-in user holding the view's command permission (the Editors group has all)."""

    message = "only editors (the Editors group) may change incidents"

    def has_permission(self, request: Request, view: APIView) -> bool:
        permission = getattr(view, "permission", "")
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(permission))


@contextmanager
def refusals(what: str) -> Iterator[None]:
    """Domain refusals as 400, a stream that moved on meanwhile as 412: nothing written."""
    try:
        yield
    except store.ConcurrencyError as error:
        raise preconditions.stale(
            error.stream_id, int(error.expected or 0), int(error.actual or 0)
        ) from None
    except DomainError as error:
        raise exceptions.ValidationError({what: [str(error)]}) from None


def _incident_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise exceptions.NotFound(f"no incident {text!r}: not a UUID") from None


def _current(incident_id: uuid.UUID) -> Any:
    try:
        return services.incident_state_at(incident_id)
    except DomainError:
        raise exceptions.NotFound(f"no incident {incident_id}") from None


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise exceptions.ParseError("the body must be a JSON object")
    serializer = serializer_class(data=request.data)
    unknown = sorted(set(request.data) - set(serializer.fields))
    if unknown:
        raise exceptions.ValidationError({name: ["unknown field"] for name in unknown})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _answer(
    incident_id: uuid.UUID, written: list[store.RecordedEvent], code: int = status.HTTP_200_OK
) -> Response:
    state = services.incident_state_at(incident_id)
    body = {
        "incident": selectors.incident_json(state),
        "events": [
            {
                "position": e.position,
                "stream_id": e.stream_id,
                "version": e.version,
                "type": e.type,
                "event_id": str(e.event_id),
            }
            for e in written
        ],
    }
    return Response(body, status=code, headers={"ETag": preconditions.version_etag(state.version)})


class CommandView(APIView):
    permission_classes = [MayRunCommand]
    permission: ClassVar[str]


class IncidentCommandView(CommandView):
    """A command on one incident, at the version the client names in If-Match."""

    body: ClassVar[type[serializers.Serializer]]

    def run(
        self, incident_id: uuid.UUID, version: int, data: dict[str, Any], user: Any
    ) -> list[store.RecordedEvent]:
        raise NotImplementedError

    def post(self, request: Request, incident_id: str) -> Response:
        wanted = _incident_id(incident_id)
        seen = preconditions.expected_version(request)
        current = _current(wanted)
        if seen != current.version:
            raise preconditions.stale(f"incident {wanted}", seen, current.version)
        data = _valid(self.body, request)
        with refusals("incident"):
            written = self.run(wanted, seen, data, request.user)
        return _answer(wanted, written)


def _documented(summary: str, body: type[serializers.Serializer]) -> Callable[[Any], Any]:
    return extend_schema(
        summary=summary,
        request=body,
        parameters=[IF_MATCH],
        responses={200: CommandOut, **REFUSALS},
    )


class VerifyView(IncidentCommandView):
    permission = groups.VERIFY
    body = VerifyIn

    @_documented("Verify an incident (IncidentVerified, by you)", VerifyIn)
    def post(self, request: Request, incident_id: str) -> Response:
        return super().post(request, incident_id)

    def run(self, incident_id: uuid.UUID, version: int, data: dict[str, Any], user: Any) -> Any:
        return [
            services.verify_incident(
                incident_id=incident_id, editor=user, expected_version=version, note=data["note"]
            )
        ]


class CorrectView(IncidentCommandView):
    permission = groups.CORRECT
    body = CorrectIn

    @_documented("Correct fields of an incident (IncidentCorrected: old -> new, by you)", CorrectIn)
    def post(self, request: Request, incident_id: str) -> Response:
        return super().post(request, incident_id)

    def run(self, incident_id: uuid.UUID, version: int, data: dict[str, Any], user: Any) -> Any:
        return [
            services.correct_incident(
                incident_id=incident_id,
                proposed=data["changes"],
                reason=data["reason"],
                editor=user,
                expected_version=version,
            )
        ]


class RetractView(IncidentCommandView):
    permission = groups.RETRACT
    body = RetractIn

    @_documented("Retract an incident (IncidentRetracted, with your reason)", RetractIn)
    def post(self, request: Request, incident_id: str) -> Response:
        return super().post(request, incident_id)

    def run(self, incident_id: uuid.UUID, version: int, data: dict[str, Any], user: Any) -> Any:
        return [
            services.retract_incident_by_editor(
                incident_id=incident_id,
                reason=data["reason"],
                editor=user,
                expected_version=version,
            )
        ]


class MergeView(IncidentCommandView):
    """Merge duplicates into this incident; If-Match is this incident's version."""

    permission = groups.MERGE
    body = MergeIn

    @_documented(
        "Merge duplicates into this incident (IncidentMerged on each, their sources moved)",
        MergeIn,
    )
    def post(self, request: Request, incident_id: str) -> Response:
        return super().post(request, incident_id)

    def run(self, incident_id: uuid.UUID, version: int, data: dict[str, Any], user: Any) -> Any:
        duplicates = {d["incident_id"]: d["version"] for d in data["duplicates"]}
        if len(duplicates) != len(data["duplicates"]):
            raise DomainError("duplicates: each incident once")
        for duplicate in duplicates:
            _current(duplicate)  # 404 for an incident that does not exist
        return services.merge_incidents(
            survivor_id=incident_id,
            duplicates=duplicates,
            survivor_version=version,
            editor=user,
            reason=data["reason"],
        )


def _read_view(path: str) -> Callable[..., HttpResponseBase]:
    # The read API's view for the same URL (events.api), found by its URL, not its name.
    return resolve(path, urlconf="events.api.urls").func


class ReportView(CommandView):
    """POST /api/incidents/ reports an incident by hand; GET is the read API's list."""

    permission = groups.REPORT

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method in ("GET", "HEAD"):
            return _read_view("/incidents/")(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    @extend_schema(
        operation_id="incidents_report",
        summary="Report an incident by hand (IncidentReported, method editor, by you)",
        request=ReportIn,
        responses={201: CommandOut, **REFUSALS},
    )
    def post(self, request: Request) -> Response:
        data = _valid(ReportIn, request)
        evidence, outlet = data.pop("evidence"), data.pop("outlet", "")
        sent = dict(request.data)  # a JSON object: _valid checked
        fields = {k: v for k, v in sent.items() if k in data and v != ""}
        with refusals("incident"):
            recorded = services.report_incident_by_editor(
                fields=fields, evidence=evidence, outlet=outlet, editor=request.user
            )
        incident_id = uuid.UUID(recorded.data["incident_id"])
        response = _answer(incident_id, [recorded], status.HTTP_201_CREATED)
        response["Location"] = reverse("incident", args=[incident_id])
        return response
