"""The commands of an incident's change page: each one's form, permission and service call.

Every command appends an event through events.services with the editor in its metadata
and the stream version the page showed as the expected version; a stale page gets
`conflict_message`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms

from events import services, store

from . import groups
from .incident_forms import CorrectionForm, RetractionForm, VerificationForm


@dataclass(frozen=True)
class Command:
    """One incident command of the change page: its form, permission and service call."""

    form: type[forms.Form]
    permission: str
    run: Callable[[forms.Form, uuid.UUID, Any], store.RecordedEvent]
    done: str


COMMANDS: dict[str, Command] = {
    "verify": Command(
        VerificationForm,
        groups.VERIFY,
        lambda f, incident_id, user: services.verify_incident(
            incident_id=incident_id,
            editor=user,
            expected_version=f.cleaned_data["expected_version"],
            note=f.cleaned_data.get("note", ""),
        ),
        "Incident verified.",
    ),
    "correct": Command(
        CorrectionForm,
        groups.CORRECT,
        lambda f, incident_id, user: services.correct_incident(
            incident_id=incident_id,
            proposed=f.incident_fields(),  # type: ignore[attr-defined]
            reason=f.cleaned_data["reason"],
            editor=user,
            expected_version=f.cleaned_data["expected_version"],
        ),
        "Correction recorded.",
    ),
    "retract": Command(
        RetractionForm,
        groups.RETRACT,
        lambda f, incident_id, user: services.retract_incident_by_editor(
            incident_id=incident_id,
            reason=f.cleaned_data["reason"],
            editor=user,
            expected_version=f.cleaned_data["expected_version"],
        ),
        "Incident retracted.",
    ),
}


def conflict_message(error: store.ConcurrencyError) -> str:
    return (
        f"Someone else changed this incident since you opened it (you saw version "
        f"{error.expected}, it is now at version {error.actual}). Nothing was saved. "
        "Below is the current state, with your input kept: check it and submit again."
    )
