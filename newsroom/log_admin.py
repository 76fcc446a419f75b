"""The event log in the admin: visible to staff, changeable by nobody.

The log is the truth, so the admin offers no add, change or delete for anyone, superusers
included; the database triggers would refuse a change anyway, this keeps the UI honest.
The incident pages (newsroom.incident_admin) and the newsroom pages (dashboard, review
queue) are registered from here so `admin.autodiscover` finds them.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html

from events.models import Checkpoint, Event, Stream

from .event_sentences import sentence


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable with the view permission; no add, change or delete whatever the user."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}  # "delete selected" included: nothing here acts on rows


def _pretty_json(value: Any) -> str:
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, ensure_ascii=False))


class StreamTypeFilter(admin.SimpleListFilter):
    """Streams are named `<kind>-<id>`: filter by the kind."""

    title = "stream kind"
    parameter_name = "stream_kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("incident-", "incident"), ("article-", "article")]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        value = self.value()
        return queryset.filter(stream_id__startswith=value) if value else queryset


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    # Each row reads as a sentence (what happened to which incident, who and why); the
    # stream id stays searchable and on the event's own page.
    list_display = ("position", "recorded_at", "what", "version")
    list_filter = ("type", StreamTypeFilter, "recorded_at")
    search_fields = ("stream_id", "type", "=event_id")
    ordering = ("-position",)
    list_per_page = 50
    show_full_result_count = False  # counting a long log on every page view is wasteful
    fields = (
        "position",
        "what",
        "stream_id",
        "version",
        "event_id",
        "type",
        "schema_version",
        "recorded_at",
        "occurred_on",
        "data_pretty",
        "metadata_pretty",
    )
    readonly_fields = fields

    @admin.display(description="what happened")
    def what(self, obj: Event) -> str:
        return sentence(
            event_type=obj.type,
            stream_id=obj.stream_id,
            version=obj.version,
            data=obj.data or {},
            metadata=obj.metadata or {},
        )

    @admin.display(description="data")
    def data_pretty(self, obj: Event) -> str:
        return _pretty_json(obj.data)

    @admin.display(description="metadata")
    def metadata_pretty(self, obj: Event) -> str:
        return _pretty_json(obj.metadata)


@admin.register(Stream)
class StreamAdmin(ReadOnlyAdmin):
    list_display = ("stream_id", "version")
    search_fields = ("stream_id",)
    list_filter = (StreamTypeFilter,)
    readonly_fields = ("stream_id", "version")


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ("name", "cursor", "position", "events_seen", "updated_at")
    readonly_fields = ("name", "cursor", "position", "events_seen", "updated_at")


# The admin home page leads staff to the newsroom pages (review queue, dashboard).
admin.site.index_template = "admin/newsroom_index.html"
