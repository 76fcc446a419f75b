"""The review list of learned aliases: people the classifier saw introduced with an
actor's title, which an editor accepts (the name joins the actor's aliases, read by the
next article without a restart) or rejects (never proposed again). Bulk actions on the
ticked rows, and an accept / reject button on each proposed row."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html

from registry.models import LearnedAlias, LearnedAliasStatus
from registry.services import LearnedAliasError, accept_learned_alias, reject_learned_alias

DECISIONS = {"accept": accept_learned_alias, "reject": reject_learned_alias}


@admin.register(LearnedAlias)
class LearnedAliasAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "actor",
        "times_seen",
        "status",
        "evidence",
        "decided_by",
        "row_actions",
    )
    list_filter = ("status",)
    search_fields = ("name", "actor__code", "actor__name")
    readonly_fields = [f.name for f in LearnedAlias._meta.fields]
    actions = ["accept_selected", "reject_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="decide")
    def row_actions(self, obj: LearnedAlias) -> str:
        if obj.status != LearnedAliasStatus.PROPOSED:
            return ""
        return format_html(
            '<form method="post" action="{}" style="display:inline">'
            '<button name="decision" value="accept">accept</button> '
            '<button name="decision" value="reject">reject</button></form>',
            reverse("admin:registry_learnedalias_decide", args=[obj.pk]),
        )

    def get_urls(self) -> list[Any]:
        decide = self.admin_site.admin_view(self.decide_view)
        return [
            path("<int:pk>/decide/", decide, name="registry_learnedalias_decide"),
            *super().get_urls(),
        ]

    def decide_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        back = HttpResponseRedirect(reverse("admin:registry_learnedalias_changelist"))
        if request.method != "POST" or not self.has_change_permission(request):
            self.message_user(request, "Only an editor can decide (POST).", messages.ERROR)
            return back
        decision = DECISIONS.get(str(request.POST.get("decision")))
        if decision is None:
            self.message_user(request, "Decide accept or reject.", messages.ERROR)
            return back
        self._decide(request, [pk], decision)
        return back

    @admin.action(description="Accept: add as the actor's alias", permissions=["change"])
    def accept_selected(self, request: HttpRequest, queryset: QuerySet[LearnedAlias]) -> None:
        self._decide(request, list(queryset.values_list("pk", flat=True)), accept_learned_alias)

    @admin.action(description="Reject: never propose again", permissions=["change"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[LearnedAlias]) -> None:
        self._decide(request, list(queryset.values_list("pk", flat=True)), reject_learned_alias)

    def _decide(self, request: HttpRequest, ids: list[int], decision: Any) -> None:
        done = 0
        for pk in ids:
            try:
                decision(proposal_id=pk, user=request.user)
                done += 1
            except LearnedAliasError as exc:
                self.message_user(request, str(exc), messages.WARNING)
        self.message_user(request, f"{done} learned alias(es) decided.", messages.SUCCESS)
