"""The payloads of an incident stream's events and their rules.

An incident is one real-world happening (a strike, a deployment, a condemnation...) and
lives in stream `incident-<uuid>`. Payloads are validated here before they reach the log;
bad data raises `DomainError` with a message naming the field, and nothing is written.

Folding these events into an incident's state lives beside this (`incident_state`); the
read models derived from it in `events/projections/rules/`; the commands that append
them in `events/services.py`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

STREAM_PREFIX = "incident-"


class DomainError(ValueError):
    """A payload or command the domain refuses; the message says which field and why."""


class IncidentType(StrEnum):
    DEPLOY = "deploy"
    WITHDRAW = "withdraw"
    ATTACK = "attack"
    CONDEMN = "condemn"
    ULTIMATUM = "ultimatum"
    THREATEN = "threaten"
    DEMAND = "demand"
    DENY = "deny"
    SUPPORT = "support"
    AGREE = "agree"
    CAPTURE = "capture"
    FORCE_LEVEL = "force_level"


class Factuality(StrEnum):
    ASSERTED = "asserted"
    REPORTED = "reported"
    CLAIMED = "claimed"
    DENIED = "denied"
    PLANNED = "planned"


# Incidents with these statuses did not (yet) happen: they never move forces.
NOT_HAPPENED = frozenset({Factuality.DENIED, Factuality.PLANNED})


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class Method(StrEnum):
    CLASSIFIER = "classifier"
    EDITOR = "editor"


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Quantity(_Payload):
    value: int | None = Field(default=None, ge=0)
    unit: str = Field(min_length=1, max_length=40)


class Source(_Payload):
    """One article (or an editor's note) that reports the incident."""

    article_id: int | None = None
    feed: str | None = None
    external_id: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published_at: datetime | None = None
    speaker: str | None = Field(default=None, description="who says so: outlet or speaker")
    evidence: str = Field(default="", max_length=5000)
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    classifier_version: str | None = None
    status: Factuality = Factuality.ASSERTED
    content_hash: str | None = None


class IncidentFields(_Payload):
    """What an incident says happened. Every field an editor can correct is here."""

    type: IncidentType
    actor: str | None = Field(default=None, max_length=120)
    target: str | None = Field(default=None, max_length=120)
    location: str | None = Field(default=None, max_length=200)
    country: str | None = Field(default=None, min_length=3, max_length=3)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    quantity: Quantity | None = None
    killed: int | None = Field(default=None, ge=0)
    injured: int | None = Field(default=None, ge=0)
    occurred_on: date | None = None
    date_precision: DatePrecision | None = None
    deadline: datetime | None = None
    status: Factuality = Factuality.ASSERTED

    @field_validator("country")
    @classmethod
    def _upper_country(cls, value: str | None) -> str | None:
        return value.upper() if value else value


CORRECTABLE_FIELDS = frozenset(IncidentFields.model_fields)


class IncidentReported(IncidentFields):
    incident_id: uuid.UUID
    method: Method = Method.CLASSIFIER
    source: Source
    needs_review: bool = False


class IncidentCorroborated(_Payload):
    """Another source reports the same incident (possibly with other figures)."""

    incident_id: uuid.UUID
    source: Source
    # What this source says where it differs from the incident (e.g. another death toll).
    reported: dict[str, Any] = Field(default_factory=dict)
    merged_from: uuid.UUID | None = None


# The reason of the corrections and withdrawals an updated article causes (not an editor's).
SOURCE_UPDATED = "source updated"


class IncidentCorrected(_Payload):
    incident_id: uuid.UUID
    changes: dict[str, Any]
    reason: str = Field(min_length=3, max_length=2000)

    @field_validator("changes")
    @classmethod
    def _known_fields(cls, changes: dict[str, Any]) -> dict[str, Any]:
        if not changes:
            raise ValueError("a correction must change at least one field")
        unknown = sorted(set(changes) - CORRECTABLE_FIELDS)
        if unknown:
            raise ValueError(f"unknown fields: {', '.join(unknown)}")
        return changes


class IncidentVerified(_Payload):
    incident_id: uuid.UUID
    note: str = Field(default="", max_length=2000)


class IncidentRetracted(_Payload):
    incident_id: uuid.UUID
    reason: str = Field(min_length=3, max_length=2000)
    # Set when one source withdrew its support (an updated article), not an editor.
    article_id: int | None = None


class IncidentMerged(_Payload):
    """This incident was a duplicate; its sources now count for `into`."""

    incident_id: uuid.UUID
    into: uuid.UUID
    reason: str = Field(default="duplicate", max_length=2000)


EVENT_TYPES: dict[str, type[_Payload]] = {
    "IncidentReported": IncidentReported,
    "IncidentCorroborated": IncidentCorroborated,
    "IncidentCorrected": IncidentCorrected,
    "IncidentVerified": IncidentVerified,
    "IncidentRetracted": IncidentRetracted,
    "IncidentMerged": IncidentMerged,
}
IncidentEventType = Literal[
    "IncidentReported",
    "IncidentCorroborated",
    "IncidentCorrected",
    "IncidentVerified",
    "IncidentRetracted",
    "IncidentMerged",
]
# The Literal is for the type checker; EVENT_TYPES is the list. They must name the same.
if set(get_args(IncidentEventType)) != set(EVENT_TYPES):
    raise ImportError("IncidentEventType and EVENT_TYPES name different event types")


def stream_id_for(incident_id: uuid.UUID | str) -> str:
    return f"{STREAM_PREFIX}{incident_id}"


def incident_id_from_stream(stream_id: str) -> uuid.UUID:
    if not stream_id.startswith(STREAM_PREFIX):
        raise DomainError(f"{stream_id!r} is not an incident stream")
    return uuid.UUID(stream_id.removeprefix(STREAM_PREFIX))


def describe_validation_error(error: ValidationError, whole: str = "payload") -> str:
    """Each problem as `field.path: message` (`whole` names a problem with no field)."""
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or whole
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


def validate_payload(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """Check a payload against its event type; return it in canonical JSON form."""
    model = EVENT_TYPES.get(event_type)
    if model is None:
        raise DomainError(f"unknown incident event type {event_type!r}")
    try:
        parsed = model.model_validate(data)
    except ValidationError as error:
        raise DomainError(f"{event_type}: {describe_validation_error(error)}") from None
    return parsed.model_dump(mode="json", exclude_none=False)


def parse_payload(event_type: str, data: dict[str, Any]) -> _Payload:
    """A stored payload as its typed model (stored payloads were validated on the way in)."""
    return EVENT_TYPES[event_type].model_validate(data)
