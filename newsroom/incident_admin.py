"""The incidents in the newsroom admin, listed from the incidents projection.

Nothing here changes a row: every command appends an event through events.services, with
the editor in its metadata and the stream version the editor's page showed as the
expected version. A stale page gets a conflict message, the current state and its own
draft back, and nothing is overwritten. Permissions (newsroom.groups) are checked
on every command, not only when drawing buttons.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from events import services, store
from events.domain import DomainError, incident_state
from events.projections.rules import IncidentRow
from events.projections.rules.incidents import undated_last

from . import groups, selectors
from .desk_admin import DeskPages
from .evidence import highlight_evidence
from .incident_commands import COMMANDS, conflict_message
from .incident_forms import (
    CorrectionForm,
    IncidentFieldsForm,
    MergeForm,
    ReportForm,
    RetractionForm,
    VerificationForm,
)
from .review_admin import ReviewQueuePages

TEMPLATES = "admin/events/incidentrow/"
# The incident's `status` field is its factuality; "status" on the page is active/retracted.
FIELD_LABELS = {"status": "factuality"}


class NeedsReviewFilter(admin.SimpleListFilter):
    title = "needs review"
    parameter_name = "needs_review"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "in the review queue"), ("no", "not in the review queue")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[IncidentRow]) -> Any:
        if self.value() not in ("yes", "no"):
            return queryset
        ids = selectors.review_queue_ids()
        if self.value() == "yes":
            return queryset.filter(pk__in=ids)
        return queryset.exclude(pk__in=ids)


def _following(request: HttpRequest, incident_id: uuid.UUID) -> str | None:
    """Where an editor working through the review queue goes after acting on an entry."""
    if request.POST.get("then") != "next-in-queue":
        return None
    mine = request.user.get_username() if request.POST.get("who") == "mine" else None
    following = selectors.next_in_queue(incident_id, assignee=mine)
    if following is None:
        return reverse("admin:events_incident_review")
    page = reverse("admin:events_incidentrow_change", args=[following])
    return f"{page}?queue=1" + ("&who=mine" if mine else "")


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


class IncidentAdmin(ReviewQueuePages, DeskPages, admin.ModelAdmin):
    list_display = (
        "world_date",
        "type",
        "actor",
        "target",
        "location",
        "country",
        "status",
        "verified",
        "confidence",
    )
    list_display_links = ("world_date", "type")
    list_filter = (
        "type",
        "actor",
        "country",
        "status",
        NeedsReviewFilter,
        "verified",
        ("world_date", admin.DateFieldListFilter),
    )
    # `state` holds the sources, so this also searches the evidence sentences.
    search_fields = ("actor", "target", "location", "state")
    # Newest first, the undated ones (dated only by their recording) last.
    ordering = (undated_last(), "-world_date", "incident_id")
    list_per_page = 50
    actions = ("verify_selected", "merge_selected")
    change_list_template = TEMPLATES + "change_list.html"

    # --- permissions: the projection is never edited, only commanded ------------------
    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(groups.REPORT)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (
            request.user.is_active
            and request.user.is_staff
            and (
                request.user.has_perm("events.view_incidentrow")
                or request.user.has_perm("events.view_event")
            )
        )

    def has_verify_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(groups.VERIFY)

    def has_merge_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(groups.MERGE)

    def get_urls(self) -> list[Any]:
        wrap = self.admin_site.admin_view
        return [
            path("review/", wrap(self.review_queue_view), name="events_incident_review"),
            path("review/bulk/", wrap(self.review_bulk_view), name="events_incident_review_bulk"),
            *self.desk_urls(wrap),
            *super().get_urls(),
        ]

    def _context(self, request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "perms_of_editor": {
                name: request.user.has_perm(command.permission)
                for name, command in COMMANDS.items()
            },
            **extra,
        }

    # --- the incident page -----------------------------------------------------------
    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            incident_id = uuid.UUID(object_id)
        except ValueError:
            raise Http404("no such incident") from None
        state = selectors.incident_from_log(incident_id)
        if state is None:
            raise Http404("no such incident")
        bound: dict[str, forms.Form] = {}
        status = 200
        if request.method == "POST":
            name = request.POST.get("command", "")
            command = COMMANDS.get(name)
            if command is None:
                raise Http404("unknown command")
            if not request.user.has_perm(command.permission):
                raise PermissionDenied
            form = command.form(request.POST)
            # From the review queue: on to the entry after this one (found before acting).
            following = _following(request, incident_id)
            if form.is_valid():
                try:
                    command.run(form, incident_id, request.user)
                except store.ConcurrencyError as error:
                    messages.error(request, conflict_message(error))
                    state = selectors.incident_from_log(incident_id) or state
                    # Their draft stays on the page, now against the version they see.
                    draft = request.POST.copy()
                    draft["expected_version"] = str(state.version)
                    form = command.form(draft)
                    form.is_valid()
                    status = 409
                except DomainError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(request, command.done)
                    if following is not None:
                        return HttpResponseRedirect(following)
                    fallback = reverse("admin:events_incidentrow_change", args=[incident_id])
                    return HttpResponseRedirect(_safe_next(request, fallback))
            bound[name] = form
        return TemplateResponse(
            request,
            TEMPLATES + "incident.html",
            self._incident_context(request, state, bound),
            status=status,
        )

    def _incident_context(
        self, request: HttpRequest, state: incident_state.IncidentState, bound: dict[str, Any]
    ) -> dict[str, Any]:
        version = {"expected_version": state.version}
        command_forms = {
            "verify": bound.get("verify") or VerificationForm(initial=version),
            "retract": bound.get("retract") or RetractionForm(initial=version),
            "correct": bound.get("correct")
            or CorrectionForm(initial={**IncidentFieldsForm.initial_from(state.fields), **version}),
        }
        incident_id = uuid.UUID(state.incident_id)
        sources = [
            {
                "source": view.source,
                "article": view.article,
                "highlighted": highlight_evidence(
                    view.article.body if view.article else "", view.source.get("evidence", "")
                ),
            }
            for view in selectors.incident_sources(state)
        ]
        return self._context(
            request,
            f"Incident: {state.type} {state.actor or '?'} → {state.target or '—'}",
            incident=state,
            fields=sorted((FIELD_LABELS.get(k, k), k, v) for k, v in state.fields.items()),
            editable=state.status == incident_state.ACTIVE,
            forms=command_forms,
            history=selectors.incident_history(incident_id),
            sources=sources,
            review_reasons=selectors.review_reasons(state, selectors.review_threshold()),
            from_queue=request.GET.get("queue") == "1",
            who=request.GET.get("who", ""),
        )

    # --- add an incident by hand -------------------------------------------------------
    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ReportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                recorded = services.report_incident_by_editor(
                    fields=form.incident_fields(),
                    evidence=form.cleaned_data["evidence"],
                    outlet=form.cleaned_data.get("outlet") or "",
                    editor=request.user,
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Incident added.")
                incident_id = recorded.data["incident_id"]
                return HttpResponseRedirect(
                    reverse("admin:events_incidentrow_change", args=[incident_id])
                )
        return TemplateResponse(
            request, TEMPLATES + "add.html", self._context(request, "Add an incident", form=form)
        )

    # --- list actions ------------------------------------------------------------------
    @admin.action(description="Verify selected incidents", permissions=["verify"])
    def verify_selected(self, request: HttpRequest, queryset: QuerySet[IncidentRow]) -> None:
        done, refused = 0, []
        for row in queryset:
            # The version the list showed is the version the editor vouches for.
            try:
                services.verify_incident(
                    incident_id=row.incident_id, editor=request.user, expected_version=row.version
                )
                done += 1
            except (store.ConcurrencyError, DomainError) as error:
                refused.append(f"{row}: {error}")
        if done:
            messages.success(request, f"{done} incident(s) verified.")
        for problem in refused:
            messages.error(request, f"Not verified, {problem}")

    @admin.action(description="Merge selected incidents", permissions=["merge"])
    def merge_selected(
        self, request: HttpRequest, queryset: QuerySet[IncidentRow]
    ) -> HttpResponse | None:
        rows = list(queryset.order_by("world_date", "incident_id"))
        if len(rows) < 2:
            messages.error(request, "Select at least two incidents to merge.")
            return None
        candidates = [(str(row.incident_id), str(row)) for row in rows]
        form = MergeForm(request.POST if "apply" in request.POST else None, candidates=candidates)
        if "apply" in request.POST and form.is_valid():
            response = self._merge(request, rows, form)
            if response is not None:
                return response
        return TemplateResponse(
            request,
            TEMPLATES + "merge.html",
            self._context(
                request,
                "Merge incidents",
                rows=rows,
                form=form,
                action_checkbox_name=helpers.ACTION_CHECKBOX_NAME,
            ),
        )

    def _merge(
        self, request: HttpRequest, rows: list[IncidentRow], form: MergeForm
    ) -> HttpResponse | None:
        survivor_id = uuid.UUID(form.cleaned_data["survivor"])
        # Versions as the confirmation page showed them (hidden fields), else the list's.
        seen = {
            row.incident_id: int(request.POST.get(f"version-{row.incident_id}") or row.version)
            for row in rows
        }
        try:
            services.merge_incidents(
                survivor_id=survivor_id,
                duplicates={i: v for i, v in seen.items() if i != survivor_id},
                survivor_version=seen[survivor_id],
                editor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except store.ConcurrencyError as error:
            messages.error(
                request,
                f"{error.stream_id} changed since this page was opened (version "
                f"{error.expected} seen, now {error.actual}). Nothing was merged.",
            )
            return None
        except DomainError as error:
            form.add_error(None, str(error))
            return None
        messages.success(request, f"{len(rows) - 1} incident(s) merged into {survivor_id}.")
        return HttpResponseRedirect(reverse("admin:events_incidentrow_change", args=[survivor_id]))


admin.site.register(IncidentRow, IncidentAdmin)
