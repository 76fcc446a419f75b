"""Ingestion in the admin: feeds, the actor registry and gazetteer, and articles.

Views stay thin: writes go through ingest.feed_services and the ingestion service; what an
article led to is read from the incidents projection.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from ingest import feed_services, reclassify
from ingest.models import Article, Feed
from registry.models import Actor, Place

from .ingest_forms import ActorForm, FeedCreationForm, PlaceForm
from .selectors import incidents_of_article


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("slug", "name")
    readonly_fields = ("secret_hint", "created_at")
    actions = ("deactivate_feeds", "activate_feeds", "rotate_secrets")

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kw: Any
    ) -> Any:
        if obj is None:
            kw["form"] = FeedCreationForm
        return super().get_form(request, obj, change, **kw)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["slug", "name", "active"]
        return ["slug", "name", "active", "secret_hint", "created_at"]

    @admin.display(description="secret")
    def secret_hint(self, obj: Feed) -> str:
        # Never echo the whole key into a page that may be screenshotted or cached.
        return f"…{obj.secret[-4:]}" if obj.secret else "(none)"

    def save_model(self, request: HttpRequest, obj: Feed, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = feed_services.create_feed(slug=obj.slug, name=obj.name, active=obj.active)
        obj.pk, obj.secret, obj.created_at = created.pk, created.secret, created.created_at
        # Shown once, so the newsroom can hand it to the feed's operator.
        self.message_user(
            request, f"Feed {created.slug} created. Its secret: {created.secret}", messages.WARNING
        )

    @admin.action(description="Deactivate selected feeds", permissions=["change"])
    def deactivate_feeds(self, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
        count = feed_services.set_feeds_active(
            feed_ids=list(queryset.values_list("pk", flat=True)), active=False
        )
        self.message_user(request, f"{count} feed(s) deactivated.", messages.SUCCESS)

    @admin.action(description="Activate selected feeds", permissions=["change"])
    def activate_feeds(self, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
        count = feed_services.set_feeds_active(
            feed_ids=list(queryset.values_list("pk", flat=True)), active=True
        )
        self.message_user(request, f"{count} feed(s) activated.", messages.SUCCESS)

    @admin.action(description="Rotate the secret of selected feeds", permissions=["change"])
    def rotate_secrets(self, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
        rotated = feed_services.rotate_feed_secrets(
            feed_ids=list(queryset.values_list("pk", flat=True))
        )
        for slug, secret in rotated.items():
            self.message_user(request, f"New secret for {slug}: {secret}", messages.WARNING)


class ChildActorInline(admin.TabularInline):
    model = Actor
    fk_name = "parent"
    fields = ("code", "name", "kind", "active")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "member / subordinate actors"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    form = ActorForm
    list_display = ("code", "name", "kind", "parent", "alias_count", "active", "updated_at")
    list_filter = ("kind", "active")
    search_fields = ("code", "name", "aliases")
    autocomplete_fields = ("parent",)
    inlines = (ChildActorInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The code is what incidents store: renaming it would orphan them.
        return ("code",) if obj is not None else ()

    @admin.display(description="aliases")
    def alias_count(self, obj: Actor) -> int:
        return len(obj.aliases or [])


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    form = PlaceForm
    list_display = ("name", "country", "region", "precision", "alias_count", "updated_at")
    list_filter = ("precision", "country")
    search_fields = ("name", "aliases", "region", "country")

    @admin.display(description="aliases")
    def alias_count(self, obj: Place) -> int:
        return len(obj.aliases or [])


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("id", "title_short", "feed", "outlet", "status", "attempts", "received_at")
    list_filter = ("status", "feed", "outlet")
    search_fields = ("title", "external_id", "url", "=content_hash")
    list_select_related = ("feed",)
    date_hierarchy = "received_at"
    actions = ("classify_again",)
    fields = (
        "feed",
        "external_id",
        "title",
        "url",
        "outlet",
        "language",
        "published_at",
        "status",
        "attempts",
        "last_error",
        "classifier_version",
        "received_at",
        "classified_at",
        "its_incidents",
        "body",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # articles arrive through the feeds' API, signed

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # incidents' sources point at them

    @admin.display(description="title")
    def title_short(self, obj: Article) -> str:
        return obj.title[:90]

    @admin.display(description="incidents")
    def its_incidents(self, obj: Article) -> str:
        rows = [
            (reverse("admin:events_incidentrow_change", args=[incident.pk]), str(incident))
            for incident in incidents_of_article(article_id=obj.pk)
        ]
        if not rows:
            return "(none)"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", '<li><a href="{}">{}</a></li>', rows),
        )

    @admin.action(description="Classify again", permissions=["change"])
    def classify_again(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        count = reclassify.classify_again(article_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} article(s) queued for classification.")
