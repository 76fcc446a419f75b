"""`registry_changed`: an Actor or a Place was saved or deleted.

The floors above listen instead of being called: ingest bumps the classifier's registry
version, events recomputes the force rows (which place names mean a whole country decides
their keys). The signal is sent at the save or delete itself, inside the writer's
transaction, so the writer's own process sees the edit at once; a receiver that needs the
committed rows defers its work with `transaction.on_commit` (events does).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from registry.models import Actor, Place

# Sent with sender=the model class (Actor or Place) and instance=the row saved or deleted.
registry_changed = Signal()


def _edited(sender: type[Actor] | type[Place], instance: Actor | Place, **kwargs: Any) -> None:
    registry_changed.send(sender=sender, instance=instance)


def send_registry_changed_on_edits() -> None:
    """Connect the model signals (once, from RegistryConfig.ready)."""
    for model in (Actor, Place):
        label = model._meta.model_name
        post_save.connect(_edited, sender=model, dispatch_uid=f"registry_{label}_saved")
        post_delete.connect(_edited, sender=model, dispatch_uid=f"registry_{label}_deleted")
