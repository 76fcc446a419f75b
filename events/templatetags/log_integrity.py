"""`{% log_integrity as integrity %}`: the newest seal and the latest verification of the
log, for the newsroom dashboard (a failed verification must be seen, not only logged)."""

from __future__ import annotations

from typing import Any

from django import template

from events.integrity.seals import newest_seal
from events.integrity.tables import LogCheck

register = template.Library()


@register.simple_tag
def log_integrity() -> dict[str, Any]:
    return {"seal": newest_seal(), "check": LogCheck.objects.order_by("-checked_at").first()}
