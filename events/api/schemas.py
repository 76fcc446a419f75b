"""Response shapes, for the OpenAPI schema (the selectors build the JSON itself)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.domain.incident_state import ACTIVE, MERGED, RETRACTED
from events.projections.rules.ultimatums import STATUSES

_ANY_OBJECT = serializers.DictField


# Two different `status` enums would fight over one component name: describe them inline.
@extend_schema_field({"type": "string", "enum": [ACTIVE, RETRACTED, MERGED]})
class IncidentStatusField(serializers.CharField):
    pass


@extend_schema_field({"type": "string", "enum": list(STATUSES)})
class UltimatumStatusField(serializers.CharField):
    pass


def _text(**kwargs: object) -> serializers.CharField:
    return serializers.CharField(allow_null=True, allow_blank=True, **kwargs)  # type: ignore[arg-type]


class ErrorOut(serializers.Serializer):
    error = serializers.CharField()
    detail = serializers.JSONField()
    status = serializers.IntegerField()


class EventOut(serializers.Serializer):
    position = serializers.IntegerField()
    cursor = serializers.CharField()
    stream_id = serializers.CharField()
    version = serializers.IntegerField()
    event_id = serializers.UUIDField()
    type = serializers.CharField()
    schema_version = serializers.IntegerField()
    data = _ANY_OBJECT()  # type: ignore[assignment]  # the field is named data
    metadata = _ANY_OBJECT()
    recorded_at = serializers.DateTimeField()
    occurred_on = serializers.DateField(allow_null=True)


class LogPageOut(serializers.Serializer):
    results = EventOut(many=True)
    next = serializers.CharField(
        allow_blank=True, help_text="pass as `after`; an empty page means you are at the end"
    )


class StreamOut(serializers.Serializer):
    stream_id = serializers.CharField()
    version = serializers.IntegerField()
    events = EventOut(many=True)


class SourceOut(serializers.Serializer):
    incident_id = serializers.UUIDField()
    article_id = serializers.IntegerField(allow_null=True)
    outlet = _text()
    url = _text()
    title = _text()
    published_at = _text()
    speaker = _text()
    evidence = serializers.CharField(allow_blank=True)
    confidence = serializers.FloatField(allow_null=True)
    reported = _ANY_OBJECT()


class IncidentOut(serializers.Serializer):
    incident_id = serializers.UUIDField()
    stream_id = serializers.CharField()
    version = serializers.IntegerField()
    type = serializers.CharField()
    actor = _text()
    target = _text()
    location = _text()
    country = _text()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    quantity = _ANY_OBJECT(allow_null=True)
    killed = serializers.IntegerField(allow_null=True)
    injured = serializers.IntegerField(allow_null=True)
    occurred_on = serializers.DateField(allow_null=True)
    date_precision = _text()
    deadline = _text(help_text="ISO 8601")
    status = IncidentStatusField()
    factuality = serializers.CharField()
    world_date = serializers.DateField()
    merged_into = serializers.UUIDField(allow_null=True)
    verified = serializers.BooleanField()
    needs_review = serializers.BooleanField()
    confidence = serializers.FloatField()
    method = serializers.CharField()
    retraction_reason = _text()
    sources = SourceOut(many=True)
    corrections = serializers.ListField(child=_ANY_OBJECT())
    first_recorded_at = serializers.CharField()
    last_recorded_at = serializers.CharField()


class IncidentDetailOut(IncidentOut):
    history = EventOut(many=True)


class PageOut(serializers.Serializer):
    count = serializers.IntegerField(help_text="rows matching, on every page")
    next = serializers.CharField(
        allow_null=True, help_text="path of the next page; null on the last page"
    )


class IncidentPageOut(PageOut):
    results = IncidentOut(many=True)


class ForceSummaryOut(serializers.Serializer):
    actor = serializers.CharField()
    country = serializers.CharField()
    place = serializers.CharField(allow_blank=True, help_text="blank: the whole country")
    unit = serializers.CharField()
    low = serializers.IntegerField()
    high = serializers.IntegerField()
    since = serializers.DateField()
    stated_on = serializers.DateField(allow_null=True)


class ForceOut(ForceSummaryOut):
    estimates = serializers.ListField(child=_ANY_OBJECT(), help_text="each figure and its sources")
    movements = serializers.ListField(child=_ANY_OBJECT())
    incident_ids = serializers.ListField(child=serializers.UUIDField())


class StanceSummaryOut(serializers.Serializer):
    actor = serializers.CharField()
    target = serializers.CharField()
    score = serializers.FloatField(min_value=-10, max_value=10)
    reference_date = serializers.DateField()
    counts = serializers.DictField(child=serializers.IntegerField())
    incident_count = serializers.IntegerField()


class StanceOut(StanceSummaryOut):
    latest = serializers.ListField(child=_ANY_OBJECT())


class UltimatumOut(serializers.Serializer):
    incident_id = serializers.UUIDField()
    issuer = serializers.CharField()
    addressee = serializers.CharField()
    demand = serializers.CharField(allow_blank=True)
    issued_on = serializers.DateField()
    deadline = _text()
    status = UltimatumStatusField()
    resolution = _text()
    resolved_by = serializers.UUIDField(allow_null=True)
    resolved_on = serializers.DateField(allow_null=True)
    sources = serializers.ListField(child=_ANY_OBJECT())


class ForcePageOut(PageOut):
    results = ForceOut(many=True)


class StancePageOut(PageOut):
    results = StanceOut(many=True)


class UltimatumPageOut(PageOut):
    results = UltimatumOut(many=True)


class TimelineEntryOut(serializers.Serializer):
    incident_id = serializers.UUIDField()
    type = serializers.CharField()
    actor = _text()
    target = _text()
    country = _text()
    location = _text()
    world_date = serializers.DateField()
    status = IncidentStatusField()
    factuality = serializers.CharField()


class ActorLinksOut(serializers.Serializer):
    forces = serializers.CharField()
    stances = serializers.CharField()
    stances_towards = serializers.CharField()
    open_ultimatums = serializers.CharField()
    incidents = serializers.CharField()


class ActorOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = _text()
    parent = _text()  # type: ignore[assignment]
    registered = serializers.BooleanField()


class ActorDetailOut(ActorOut):
    """Summaries: the first forces rows, the strongest stances each way, the first open
    ultimatums and the newest incidents; `links` lead to the full, paged lists."""

    children = serializers.ListField(child=serializers.CharField())
    forces = ForceSummaryOut(many=True)
    stances = StanceSummaryOut(many=True, help_text="the strongest, furthest from 0")
    stances_towards = StanceSummaryOut(many=True, help_text="the strongest, furthest from 0")
    open_ultimatums = UltimatumOut(many=True)
    timeline = TimelineEntryOut(many=True, help_text="the newest incidents naming the actor")
    links = ActorLinksOut()
