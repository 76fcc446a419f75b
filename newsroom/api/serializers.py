"""Request bodies of the editor commands (what the OpenAPI schema shows and the views
check before a service runs; the domain's payload rules remain the last word)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.domain import DatePrecision, Factuality, IncidentType


def _optional_text(length: int, help_text: str) -> serializers.CharField:
    return serializers.CharField(
        max_length=length, required=False, allow_null=True, allow_blank=True, help_text=help_text
    )


@extend_schema_field(OpenApiTypes.OBJECT)
class IncidentObject(serializers.DictField):
    """The incident as GET /api/incidents/<id>/ shows it (without its history)."""


class QuantityIn(serializers.Serializer):
    value = serializers.IntegerField(min_value=0, allow_null=True, required=False)
    unit = serializers.CharField(max_length=40)


class ReportIn(serializers.Serializer):
    """An incident the classifier missed, by hand: its fields, and what it rests on."""

    type = serializers.ChoiceField(choices=[t.value for t in IncidentType])
    actor = _optional_text(120, "actor code, e.g. USA")
    target = _optional_text(120, "")
    location = _optional_text(200, "")
    country = _optional_text(3, "ISO alpha-3, e.g. IRQ")
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    longitude = serializers.FloatField(
        min_value=-180, max_value=180, required=False, allow_null=True
    )
    quantity = QuantityIn(required=False, allow_null=True)
    killed = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    injured = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    occurred_on = serializers.DateField(required=False, allow_null=True)
    date_precision = serializers.ChoiceField(
        choices=[p.value for p in DatePrecision], required=False, allow_null=True
    )
    deadline = serializers.DateTimeField(required=False, allow_null=True)
    status = serializers.ChoiceField(
        choices=[f.value for f in Factuality], required=False, help_text="factuality"
    )
    evidence = serializers.CharField(
        min_length=3, max_length=5000, help_text="the sentence or note it rests on"
    )
    outlet = serializers.CharField(max_length=200, required=False, allow_blank=True)


class VerifyIn(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CorrectIn(serializers.Serializer):
    changes = serializers.DictField(
        help_text='Only the fields to change, e.g. {"killed": 6}; unknown fields are refused.'
    )
    reason = serializers.CharField(min_length=3, max_length=2000)


class RetractIn(serializers.Serializer):
    reason = serializers.CharField(min_length=3, max_length=2000)


class Duplicate(serializers.Serializer):
    incident_id = serializers.UUIDField()
    version = serializers.IntegerField(min_value=1, help_text="the version you read")


class MergeIn(serializers.Serializer):
    duplicates = Duplicate(
        many=True, help_text="the incidents folded into this one, each with the version read"
    )
    reason = serializers.CharField(max_length=2000, required=False, default="duplicate")


class WrittenEvent(serializers.Serializer):
    position = serializers.IntegerField()
    stream_id = serializers.CharField()
    version = serializers.IntegerField()
    type = serializers.CharField()
    event_id = serializers.UUIDField()


class CommandOut(serializers.Serializer):
    incident = IncidentObject()
    events = WrittenEvent(many=True, help_text="what the command appended to the log")


class CommandErrorOut(serializers.Serializer):
    """The API's one error shape (tracker.api_errors), for the commands' refusals."""

    error = serializers.CharField()
    detail = serializers.JSONField()
    status = serializers.IntegerField()
