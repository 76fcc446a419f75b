"""Incident write commands: one function per command, keyword-only.

Each command validates its payload through `events.domain.validate_payload` and appends
one event to the incident's stream through `events.store.append`. Bad data raises
`DomainError` before anything reaches the log. Callers that may run twice (Celery tasks)
pass a deterministic `event_id`: the store answers a repeated append with the stored
event, so a retried command writes nothing new.

Editor commands (correct, verify, merge, report by an editor) belong here as well; they
reuse `_append_incident_event` with an `expected_version` read from the stream so that
two editors cannot silently overwrite each other.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any, Protocol

from django.db import transaction
from pydantic import ValidationError

from events import store
from events.domain import (
    SOURCE_UPDATED,
    DomainError,
    IncidentEventType,
    IncidentFields,
    Method,
    Source,
    describe_validation_error,
    fold,
    incident_state,
    stream_id_for,
    validate_payload,
)
from events.projections import request_catch_up
from events.signals import incident_event_recorded

# Namespace of the deterministic event and incident ids derived from article content.
INCIDENT_NAMESPACE = uuid.UUID("5b0c3f7e-8a51-4d7b-9a55-6f1b7a2e4c10")


def deterministic_id(*parts: object) -> uuid.UUID:
    """A uuid5 naming what produced an event, so that replaying the producer names it again."""
    return uuid.uuid5(INCIDENT_NAMESPACE, "|".join(str(p) for p in parts))


def _append_incident_event(
    *,
    incident_id: uuid.UUID,
    event_type: IncidentEventType,
    payload: Mapping[str, Any],
    metadata: Mapping[str, Any] | None,
    event_id: uuid.UUID | None,
    expected_version: int | None,
    occurred_on: date | None = None,
) -> store.RecordedEvent:
    data = validate_payload(event_type, {**payload, "incident_id": str(incident_id)})
    event = store.NewEvent(
        type=event_type,
        data=data,
        metadata=dict(metadata or {}),
        event_id=event_id,
        occurred_on=occurred_on,
    )
    # One transaction with what the signal's receivers write (the ingest app's matching
    # keys): on PostgreSQL a lone append commits by itself, and a receiver failing after
    # it would leave an event whose keys were never written.
    with transaction.atomic():
        [recorded] = store.append(
            stream_id_for(incident_id), [event], expected_version=expected_version
        )
        incident_event_recorded.send(sender=_append_incident_event, event=recorded)
    return recorded


def _require_incident(incident_id: uuid.UUID) -> None:
    # A retried command on an incident that exists is fine; a command on an incident that
    # was never reported is a caller's mistake, not something to record.
    if store.stream_version(stream_id_for(incident_id)) == 0:
        raise DomainError(f"incident_id: no incident {incident_id}")


def report_incident(
    *,
    incident_id: uuid.UUID,
    fields: Mapping[str, Any],
    source: Mapping[str, Any],
    method: Method = Method.CLASSIFIER,
    needs_review: bool = False,
    metadata: Mapping[str, Any] | None = None,
    event_id: uuid.UUID | None = None,
) -> store.RecordedEvent:
    """Open a new incident stream with its `IncidentReported` event.

    The stream must not exist yet (expected version 0): reporting twice under one id is
    either a retry (same event_id: the stored event is returned) or a ConcurrencyError.
    """
    payload = {
        **fields,
        "method": str(method),
        "source": dict(source),
        "needs_review": needs_review,
    }
    occurred_on = fields.get("occurred_on")
    return _append_incident_event(
        incident_id=incident_id,
        event_type="IncidentReported",
        payload=payload,
        metadata=metadata,
        event_id=event_id,
        expected_version=0,
        occurred_on=occurred_on if isinstance(occurred_on, date) else None,
    )


def corroborate_incident(
    *,
    incident_id: uuid.UUID,
    source: Mapping[str, Any],
    reported: Mapping[str, Any] | None = None,
    metadata: Mapping[str, Any] | None = None,
    event_id: uuid.UUID | None = None,
) -> store.RecordedEvent:
    """Another source reports an existing incident; `reported` holds where it differs."""
    _require_incident(incident_id)
    return _append_incident_event(
        incident_id=incident_id,
        event_type="IncidentCorroborated",
        payload={"source": dict(source), "reported": dict(reported or {})},
        metadata=metadata,
        event_id=event_id,
        # Corroborations commute: their order on the stream does not change the incident.
        expected_version=store.ANY,
    )


def retract_incident(
    *,
    incident_id: uuid.UUID,
    reason: str,
    article_id: int | None = None,
    metadata: Mapping[str, Any] | None = None,
    event_id: uuid.UUID | None = None,
    expected_version: int | None = store.ANY,
) -> store.RecordedEvent:
    """Withdraw an incident: an editor's decision, or (with `article_id`) an updated source."""
    _require_incident(incident_id)
    return _append_incident_event(
        incident_id=incident_id,
        event_type="IncidentRetracted",
        payload={"reason": reason, "article_id": article_id},
        metadata=metadata,
        event_id=event_id,
        expected_version=expected_version,
    )


def correct_incident_from_source(
    *,
    incident_id: uuid.UUID,
    changes: Mapping[str, Any],
    metadata: Mapping[str, Any] | None = None,
    event_id: uuid.UUID | None = None,
) -> store.RecordedEvent:
    """An updated article now says other figures than the incident holds from it:
    `IncidentCorrected` with reason "source updated" (the metadata names the article)."""
    _require_incident(incident_id)
    return _append_incident_event(
        incident_id=incident_id,
        event_type="IncidentCorrected",
        payload={"changes": dict(changes), "reason": SOURCE_UPDATED},
        metadata=metadata,
        event_id=event_id,
        # Like a withdrawal: it follows whatever the stream holds when the worker writes.
        expected_version=store.ANY,
    )


# --- Editor commands (the newsroom admin) ---------------------------------------------
#
# Each takes the editor (their user goes in the metadata) and the stream version the
# editor saw: a stale version raises store.ConcurrencyError and writes nothing, so two
# editors never silently overwrite each other. Each asks the projections to catch up after
# the commit, so the admin's lists and the API follow.


class Editor(Protocol):
    pk: Any

    def get_username(self) -> str: ...


def editor_metadata(editor: Editor, **extra: Any) -> dict[str, Any]:
    return {"user": editor.get_username(), "user_id": editor.pk, "method": "editor", **extra}


def incident_state_at(
    incident_id: uuid.UUID, *, version: int | None = None
) -> incident_state.IncidentState:
    """The incident folded from its stream (up to `version`), straight from the log."""
    stream_id = stream_id_for(incident_id)
    states = fold.fold_incidents(store.read_stream(stream_id, up_to_version=version))
    if stream_id not in states:
        raise DomainError(f"incident_id: no incident {incident_id}")
    return states[stream_id]


def _changed_fields(current: Mapping[str, Any], proposed: Mapping[str, Any]) -> dict[str, Any]:
    # Compare canonical forms (upper-case country, ISO dates...), so a value the editor left
    # as it was never counts as a change however the form spelled it.
    try:
        merged = IncidentFields.model_validate({**current, **proposed}).model_dump(mode="json")
    except ValidationError as error:
        problems = describe_validation_error(error, whole="fields")
        raise DomainError(f"IncidentCorrected: {problems}") from None
    return {key: merged[key] for key in proposed if merged.get(key) != current.get(key)}


def _editable(state: incident_state.IncidentState) -> None:
    if state.status != incident_state.ACTIVE:
        raise DomainError(f"incident {state.incident_id} is {state.status}: it cannot change")


def verify_incident(
    *, incident_id: uuid.UUID, editor: Editor, expected_version: int, note: str = ""
) -> store.RecordedEvent:
    _editable(incident_state_at(incident_id, version=expected_version))
    with transaction.atomic():
        recorded = _append_incident_event(
            incident_id=incident_id,
            event_type="IncidentVerified",
            payload={"note": note},
            metadata=editor_metadata(editor),
            event_id=None,
            expected_version=expected_version,
        )
        request_catch_up()
    return recorded


def correct_incident(
    *,
    incident_id: uuid.UUID,
    proposed: Mapping[str, Any],
    reason: str,
    editor: Editor,
    expected_version: int,
) -> store.RecordedEvent:
    """Append `IncidentCorrected` with only the fields that differ from what the editor saw."""
    seen = incident_state_at(incident_id, version=expected_version)
    _editable(seen)
    changes = _changed_fields(seen.fields, proposed)
    if not changes:
        raise DomainError("changes: nothing differs from the current values")
    with transaction.atomic():
        recorded = _append_incident_event(
            incident_id=incident_id,
            event_type="IncidentCorrected",
            payload={"changes": changes, "reason": reason.strip()},
            metadata=editor_metadata(editor),
            event_id=None,
            expected_version=expected_version,
        )
        request_catch_up()
    return recorded


def retract_incident_by_editor(
    *, incident_id: uuid.UUID, reason: str, editor: Editor, expected_version: int
) -> store.RecordedEvent:
    _editable(incident_state_at(incident_id, version=expected_version))
    with transaction.atomic():
        recorded = retract_incident(
            incident_id=incident_id,
            reason=reason.strip(),
            metadata=editor_metadata(editor),
            expected_version=expected_version,
        )
        request_catch_up()
    return recorded


def _as_source_payload(source: Mapping[str, Any]) -> dict[str, Any]:
    """A folded source back in `Source` shape (the fold adds bookkeeping keys)."""
    return {key: source[key] for key in Source.model_fields if key in source}


def _differences(
    duplicate: Mapping[str, Any], survivor: Mapping[str, Any], own: Mapping[str, Any]
) -> dict[str, Any]:
    # What the moved source says where it disagrees with the survivor: its own figures if it
    # was a corroboration, else the duplicate's fields that differ, so nothing is lost.
    said = {**{k: v for k, v in duplicate.items() if v is not None}, **own}
    return {k: v for k, v in said.items() if survivor.get(k) != v}


def merge_incidents(
    *,
    survivor_id: uuid.UUID,
    duplicates: Mapping[uuid.UUID, int],
    survivor_version: int,
    editor: Editor,
    reason: str = "duplicate",
) -> list[store.RecordedEvent]:
    """Fold duplicates into the survivor, all or nothing.

    `duplicates` maps each duplicate to the version the editor saw. Each gets
    `IncidentMerged(into=survivor)`; each of its live sources is appended to the survivor
    as `IncidentCorroborated(merged_from=duplicate)`, in one transaction.
    """
    if not duplicates:
        raise DomainError("duplicates: choose at least one incident to merge")
    if survivor_id in duplicates:
        raise DomainError("duplicates: an incident cannot be merged into itself")
    survivor = incident_state_at(survivor_id, version=survivor_version)
    _editable(survivor)
    metadata = editor_metadata(editor, merge_into=str(survivor_id))
    moved: list[store.NewEvent] = []
    merged: list[tuple[uuid.UUID, int]] = []
    for duplicate_id, seen_version in sorted(duplicates.items(), key=lambda kv: str(kv[0])):
        duplicate = incident_state_at(duplicate_id, version=seen_version)
        _editable(duplicate)
        merged.append((duplicate_id, seen_version))
        for source in duplicate.active_sources:
            data = validate_payload(
                "IncidentCorroborated",
                {
                    "incident_id": str(survivor_id),
                    "source": _as_source_payload(source),
                    "reported": _differences(
                        duplicate.fields, survivor.fields, source.get("reported") or {}
                    ),
                    "merged_from": str(duplicate_id),
                },
            )
            moved.append(store.NewEvent("IncidentCorroborated", data, metadata))
    recorded: list[store.RecordedEvent] = []
    with transaction.atomic():
        for duplicate_id, seen_version in merged:
            recorded.append(
                _append_incident_event(
                    incident_id=duplicate_id,
                    event_type="IncidentMerged",
                    payload={"into": str(survivor_id), "reason": reason.strip() or "duplicate"},
                    metadata=metadata,
                    event_id=None,
                    expected_version=seen_version,
                )
            )
        # Even with no source to move, the survivor's version is checked (and bumped by
        # nothing): appending to it below is what makes a stale survivor fail the merge.
        if moved:
            recorded += store.append(
                stream_id_for(survivor_id), moved, expected_version=survivor_version
            )
        elif store.stream_version(stream_id_for(survivor_id)) != survivor_version:
            raise store.ConcurrencyError(
                stream_id_for(survivor_id),
                survivor_version,
                store.stream_version(stream_id_for(survivor_id)),
            )
        request_catch_up()
    return recorded


def report_incident_by_editor(
    *, fields: Mapping[str, Any], evidence: str, editor: Editor, outlet: str = ""
) -> store.RecordedEvent:
    """An incident the classifier missed, added by hand: a new stream, method editor."""
    incident_id = uuid.uuid4()
    source = {
        "speaker": editor.get_username(),
        "outlet": outlet or None,
        "evidence": evidence.strip(),
        "confidence": 1.0,
    }
    with transaction.atomic():
        recorded = report_incident(
            incident_id=incident_id,
            fields=fields,
            source=source,
            method=Method.EDITOR,
            metadata=editor_metadata(editor),
        )
        request_catch_up()
    return recorded
