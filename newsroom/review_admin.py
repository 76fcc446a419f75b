"""The review queue page: why each entry is there, who took it, bulk verify / retract /
take, and the next entry after an action.

A mixin of the incident admin (newsroom.incident_admin), which routes its URLs and
provides `_context` and the permission checks.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse

from events.domain import DomainError

from . import groups, selectors, services

RETRACT_REASON = "Not supported by its source (review queue)"


def queue_filters(query: QueryDict, username: str) -> dict[str, Any]:
    """The queue's filters from the page's query: ?reason=undated, ?who=mine|unassigned."""
    reason = query.get("reason") or None
    who = query.get("who") or ""
    return {
        "reason": reason if reason in selectors.REASONS else None,
        "assignee": username if who == "mine" else None,
        "unassigned": who == "unassigned",
    }


def _seen_versions(request: HttpRequest) -> dict[uuid.UUID, int]:
    """The ticked entries, each `<incident id>:<version the page showed>`."""
    seen: dict[uuid.UUID, int] = {}
    for value in request.POST.getlist("entry"):
        incident_id, _, version = value.partition(":")
        try:
            seen[uuid.UUID(incident_id)] = int(version)
        except ValueError:
            continue
    return seen


class ReviewQueuePages:
    """The review queue and its bulk actions (mixed into the incident admin)."""

    def review_queue_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        filters = queue_filters(request.GET, request.user.get_username())
        entries = selectors.review_queue(**filters)
        context = self._context(  # type: ignore[attr-defined]
            request,
            f"Review queue ({len(entries)})",
            entries=entries,
            threshold=selectors.review_threshold(),
            reasons=selectors.REASONS,
            chosen_reason=filters["reason"] or "",
            who=request.GET.get("who", ""),
            retract_reason=RETRACT_REASON,
            may_verify=request.user.has_perm(groups.VERIFY),
            may_retract=request.user.has_perm(groups.RETRACT),
        )
        return TemplateResponse(request, "admin/events/incidentrow/review_queue.html", context)

    def review_bulk_view(self, request: HttpRequest) -> HttpResponse:
        """POST: `action` verify | retract | take | release on the ticked entries."""
        if request.method != "POST" or not self.has_view_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        back = reverse("admin:events_incident_review")
        if request.POST.get("query"):
            back += "?" + request.POST["query"]
        seen = _seen_versions(request)
        if not seen:
            messages.error(request, "Tick at least one entry first.")
            return HttpResponseRedirect(back)
        action = request.POST.get("action", "")
        user = request.user
        if action in ("take", "release"):
            if not user.has_perm(groups.VERIFY):
                raise PermissionDenied
            if action == "take":
                count = services.assign_for_review(incident_ids=list(seen), editor=user)
                messages.success(request, f"{count} entr(y/ies) are now yours.")
            else:
                count = services.release_for_review(incident_ids=list(seen), editor=user)
                messages.success(request, f"{count} entr(y/ies) handed back.")
            return HttpResponseRedirect(back)
        if action == "verify":
            if not user.has_perm(groups.VERIFY):
                raise PermissionDenied
            outcome = services.verify_many(seen=seen, editor=user)
            done = "verified"
        elif action == "retract":
            if not user.has_perm(groups.RETRACT):
                raise PermissionDenied
            try:
                outcome = services.retract_many(
                    seen=seen, reason=request.POST.get("reason", ""), editor=user
                )
            except DomainError as error:
                messages.error(request, f"Nothing retracted: {error}")
                return HttpResponseRedirect(back)
            done = "retracted"
        else:
            messages.error(request, f"Unknown action {action!r}: nothing done.")
            return HttpResponseRedirect(back)
        if outcome.done:
            messages.success(request, f"{len(outcome.done)} incident(s) {done}.")
        for incident_id, problem in outcome.refused:
            messages.error(request, f"Not {done}: {incident_id}: {problem}")
        return HttpResponseRedirect(back)
