"""The newsroom's own table: who on the desk took which review-queue entry.

An assignment is the desk's working arrangement, not a fact about the world, so it is a
plain row (changed and removed freely), not an event. The module also makes Django send
this app's post_migrate signal, on which the newsroom groups are kept complete."""

from django.conf import settings
from django.db import models


class ReviewAssignment(models.Model):
    """A review-queue entry an editor took ("mine" in the queue)."""

    incident_id = models.UUIDField(primary_key=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_assignments"
    )
    assigned_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-assigned_at"]

    def __str__(self) -> str:
        return f"{self.incident_id} -> {self.editor_id}"
