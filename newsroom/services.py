"""The review desk's commands: take queue entries, and verify or retract many at once.

Each incident command is the admin's own (events.services) at the version the editor's
page showed, one incident at a time: one stale or refused entry leaves the others done
and is reported back, nothing is half-written for it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from events import services, store
from events.domain import DomainError

from .models import ReviewAssignment


@transaction.atomic
def assign_for_review(*, incident_ids: list[uuid.UUID], editor: Any) -> int:
    """Give the entries to `editor` (taking them from whoever had them)."""
    for incident_id in incident_ids:
        ReviewAssignment.objects.update_or_create(
            incident_id=incident_id, defaults={"editor": editor}
        )
    return len(incident_ids)


@transaction.atomic
def release_for_review(*, incident_ids: list[uuid.UUID], editor: Any) -> int:
    """Hand back the entries `editor` had taken."""
    deleted, _ = ReviewAssignment.objects.filter(
        incident_id__in=incident_ids, editor=editor
    ).delete()
    return deleted


@dataclass
class BulkOutcome:
    done: list[uuid.UUID] = field(default_factory=list)
    refused: list[tuple[uuid.UUID, str]] = field(default_factory=list)


def _each(seen: Mapping[uuid.UUID, int], run: Any) -> BulkOutcome:
    outcome = BulkOutcome()
    for incident_id, version in seen.items():
        try:
            run(incident_id, version)
        except store.ConcurrencyError as error:
            outcome.refused.append(
                (incident_id, f"changed since you saw it (now version {error.actual})")
            )
        except DomainError as error:
            outcome.refused.append((incident_id, str(error)))
        else:
            outcome.done.append(incident_id)
    ReviewAssignment.objects.filter(incident_id__in=outcome.done).delete()
    return outcome


def verify_many(*, seen: Mapping[uuid.UUID, int], editor: Any) -> BulkOutcome:
    """Verify each incident at the version the editor saw."""
    return _each(
        seen,
        lambda incident_id, version: services.verify_incident(
            incident_id=incident_id, editor=editor, expected_version=version
        ),
    )


def retract_many(*, seen: Mapping[uuid.UUID, int], reason: str, editor: Any) -> BulkOutcome:
    """Retract each incident at the version the editor saw, with one reason."""
    if len(reason.strip()) < 3:
        raise DomainError("reason: say why they are retracted (3 characters at least)")
    return _each(
        seen,
        lambda incident_id, version: services.retract_incident_by_editor(
            incident_id=incident_id, reason=reason, editor=editor, expected_version=version
        ),
    )
