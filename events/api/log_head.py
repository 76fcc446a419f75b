"""`GET /api/log/head/`: the newest seal (position, Merkle root, time), so that outsiders
can keep copies and later show that the log they were shown has not been rewritten."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from events.api import schemas
from events.api.permissions import ReadAccess
from events.integrity.seals import newest_seal


class LogHeadOut(serializers.Serializer):
    seal = serializers.IntegerField(help_text="seal number: 1, 2, ... without gaps")
    position = serializers.IntegerField(help_text="log position of the last event sealed")
    cursor = serializers.CharField(help_text="read cursor of the last event sealed")
    events = serializers.IntegerField(help_text="events this seal covers")
    root = serializers.CharField(help_text="hex sha256 Merkle root (RFC 6962)")  # type: ignore[assignment]
    sealed_at = serializers.DateTimeField()


class LogHeadView(APIView):
    permission_classes = [ReadAccess]

    @extend_schema(
        operation_id="log_head",
        responses={200: LogHeadOut, 401: schemas.ErrorOut, 404: schemas.ErrorOut},
        summary="The newest seal of the log",
    )
    def get(self, request: Request) -> Response:
        head = newest_seal()
        if head is None:
            raise exceptions.NotFound("the log has not been sealed yet")
        return Response(
            {
                "seal": head.number,
                "position": head.position,
                "cursor": head.cursor,
                "events": head.event_count,
                "root": head.root,
                "sealed_at": head.sealed_at.isoformat().replace("+00:00", "Z"),
            }
        )
