"""Query parameters of the read API, validated: a bad value is a 400 naming the parameter."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request

from events.domain import IncidentType
from events.domain.incident_state import ACTIVE, MERGED, RETRACTED
from events.projections.rules.ultimatums import STATUSES
from events.selectors import IncidentFilter, TimePoint

MAX_LIMIT = 1000
# State lists are paged: a page stays small enough to answer in milliseconds.
STATE_PAGE = 50
MAX_STATE_PAGE = 500


def parse(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class TimeParams(serializers.Serializer):
    as_of = serializers.DateField(
        required=False, help_text="world time: what had happened by this date (YYYY-MM-DD)"
    )
    known_at = serializers.DateTimeField(
        required=False, help_text="record time: what the log held at this instant (ISO 8601)"
    )


def time_point(params: dict[str, Any]) -> TimePoint:
    return TimePoint(as_of=params.get("as_of"), known_at=params.get("known_at"))


class LogParams(serializers.Serializer):
    after = serializers.CharField(
        required=False, allow_blank=True, help_text="the `next` cursor of the previous page"
    )
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT, default=100)
    type = serializers.CharField(required=False, help_text="only events of this type")
    stream = serializers.CharField(required=False, help_text="only events of this stream")


class PageParams(serializers.Serializer):
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_STATE_PAGE, default=STATE_PAGE
    )
    offset = serializers.IntegerField(required=False, min_value=0, max_value=10**9, default=0)


class IncidentParams(TimeParams, PageParams):
    type = serializers.ChoiceField(choices=[t.value for t in IncidentType], required=False)
    actor = serializers.CharField(required=False)
    target = serializers.CharField(required=False)
    country = serializers.CharField(required=False, min_length=3, max_length=3)
    since = serializers.DateField(required=False, help_text="happened on or after (world date)")
    until = serializers.DateField(required=False, help_text="happened on or before (world date)")
    status = serializers.ChoiceField(choices=[ACTIVE, RETRACTED, MERGED], required=False)
    needs_review = serializers.BooleanField(required=False, allow_null=True, default=None)
    source = serializers.CharField(required=False, help_text="article id, outlet or URL")  # type: ignore[assignment]
    involving = serializers.CharField(required=False, help_text="as actor or as target")


def incident_filter(params: dict[str, Any]) -> IncidentFilter:
    names = IncidentFilter.__dataclass_fields__
    return IncidentFilter(**{k: v for k, v in params.items() if k in names})


class ActorParams(TimeParams):
    include_children = serializers.BooleanField(
        required=False, default=False, help_text="roll child organisations into this actor"
    )


class ForceParams(TimeParams, PageParams):
    actor = serializers.CharField(required=False)
    country = serializers.CharField(required=False, min_length=3, max_length=3)


class StanceParams(TimeParams, PageParams):
    actor = serializers.CharField(required=False)
    target = serializers.CharField(required=False)


class UltimatumParams(TimeParams, PageParams):
    status = serializers.ChoiceField(choices=list(STATUSES), required=False)
    actor = serializers.CharField(required=False, help_text="issuer or addressee")
