"""The audit trail: who changed a feed, its secret or the registry, and when. The services
and admin actions that make such a change call `record` in the same transaction, so an
entry exists exactly when the change does."""

from __future__ import annotations

from typing import Any

from .models import AuditAction, AuditEntry


def record(
    *, by: Any, action: AuditAction, object_type: str, object_id: object, summary: str = ""
) -> AuditEntry:
    """`by` is the acting user (None for a command run on the server)."""
    user = by if getattr(by, "pk", None) is not None else None
    return AuditEntry.objects.create(
        user=user,
        username=user.get_username() if user is not None else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:100],
        summary=summary[:1000],
    )
