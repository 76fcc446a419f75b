"""The incident domain: event payloads (`payloads`), the incident state and its fold
(`incident_state`: a table `FOLD` keyed by event type).

An incident is one real-world happening (a strike, a deployment, a condemnation...) and
lives in stream `incident-<uuid>`. The names of `payloads` are re-exported here.
"""

from events.domain.payloads import (
    CORRECTABLE_FIELDS,
    EVENT_TYPES,
    NOT_HAPPENED,
    SOURCE_UPDATED,
    STREAM_PREFIX,
    DatePrecision,
    DomainError,
    Factuality,
    IncidentCorrected,
    IncidentCorroborated,
    IncidentEventType,
    IncidentFields,
    IncidentMerged,
    IncidentReported,
    IncidentRetracted,
    IncidentType,
    IncidentVerified,
    Method,
    Quantity,
    Source,
    describe_validation_error,
    incident_id_from_stream,
    parse_payload,
    stream_id_for,
    validate_payload,
)

__all__ = [
    "CORRECTABLE_FIELDS",
    "EVENT_TYPES",
    "NOT_HAPPENED",
    "SOURCE_UPDATED",
    "STREAM_PREFIX",
    "DatePrecision",
    "DomainError",
    "Factuality",
    "IncidentCorrected",
    "IncidentCorroborated",
    "IncidentEventType",
    "IncidentFields",
    "IncidentMerged",
    "IncidentReported",
    "IncidentRetracted",
    "IncidentType",
    "IncidentVerified",
    "Method",
    "Quantity",
    "Source",
    "describe_validation_error",
    "incident_id_from_stream",
    "parse_payload",
    "stream_id_for",
    "validate_payload",
]
