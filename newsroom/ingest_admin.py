"""Ingestion in the admin: feeds, the actor registry and gazetteer, and articles.

Views stay thin: writes go through ingest.feed_services and the ingestion service; what an
article led to is read from the incidents projection.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html, format_html_join

from ingest import audit, feed_services, push_example, reclassify
from ingest.models import Article, AuditAction, AuditEntry, Feed
from registry.models import Actor, Place

from .ingest_forms import ActorForm, FeedCreationForm, PlaceForm
from .selectors import incidents_of_article, updates_of_article


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = (
        "slug",
        "name",
        "active",
        "last_push_at",
        "pushes_accepted",
        "pushes_duplicate",
        "pushes_refused",
    )
    list_filter = ("active",)
    search_fields = ("slug", "name")
    readonly_fields = (
        "secret_hint",
        "previous_secret_state",
        "created_at",
        "push_url",
        "push_examples",
        "last_push_at",
        "pushes_accepted",
        "pushes_duplicate",
        "pushes_refused",
        "last_errors",
    )
    actions = ("deactivate_feeds", "activate_feeds", "rotate_secrets", "end_overlaps")

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kw: Any
    ) -> Any:
        if obj is None:
            kw["form"] = FeedCreationForm
        return super().get_form(request, obj, change, **kw)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["slug", "name", "active"]
        return [
            "slug",
            "name",
            "active",
            "accepts_body_only_signatures",
            "secret_hint",
            "previous_secret_state",
            "created_at",
            "push_url",
            "last_push_at",
            "pushes_accepted",
            "pushes_duplicate",
            "pushes_refused",
            "last_errors",
            "push_examples",
        ]

    @admin.display(description="secret")
    def secret_hint(self, obj: Feed) -> str:
        # Never echo the whole key into a page that may be screenshotted or cached.
        return f"…{obj.secret[-4:]}" if obj.secret else "(none)"

    @admin.display(description="previous secret")
    def previous_secret_state(self, obj: Feed) -> str:
        expires = obj.previous_secret_expires_at
        if not obj.previous_secret or expires is None or expires <= timezone.now():
            return "(none valid)"
        return f"…{obj.previous_secret[-4:]}, still accepted until {expires:%Y-%m-%d %H:%M} UTC"

    @admin.display(description="push URL")
    def push_url(self, obj: Feed) -> str:
        return push_example.push_url(settings.TRACKER_PUBLIC_URL, obj.slug)

    @admin.display(description="a signed push")
    def push_examples(self, obj: Feed) -> str:
        url = push_example.push_url(settings.TRACKER_PUBLIC_URL, obj.slug)
        return format_html(
            "<p>curl (with openssl):</p><pre>{}</pre><p>Python:</p><pre>{}</pre>",
            push_example.curl_example(url=url),
            push_example.python_example(url=url),
        )

    @admin.display(description="last errors")
    def last_errors(self, obj: Feed) -> str:
        rows = [
            (f"{refusal.at:%Y-%m-%d %H:%M:%S}", refusal.status, refusal.error)
            for refusal in obj.refusals.all()[:5]
        ]
        if not rows:
            return "(none)"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} {}: {}</li>", rows))

    def save_model(self, request: HttpRequest, obj: Feed, form: Any, change: bool) -> None:
        if change:
            feed_services.update_feed(feed=obj, changed=form.changed_data, by=request.user)
            return
        created = feed_services.create_feed(
            slug=obj.slug, name=obj.name, active=obj.active, by=request.user
        )
        obj.pk, obj.secret, obj.created_at = created.pk, created.secret, created.created_at

    def response_add(self, request: HttpRequest, obj: Feed, post_url_continue: Any = None) -> Any:
        # The secret is shown once, on this page, never in the messages cookie.
        return self._secrets_page(request, [(obj.slug, obj.secret, None)], "Feed created")

    def _secrets_page(
        self, request: HttpRequest, secrets: list[tuple[str, str, Any]], title: str
    ) -> TemplateResponse:
        feeds = []
        for slug, secret, previous_until in secrets:
            url = push_example.push_url(settings.TRACKER_PUBLIC_URL, slug)
            feeds.append(
                {
                    "slug": slug,
                    "secret": secret,
                    "previous_until": previous_until,
                    "url": url,
                    "curl": push_example.curl_example(url=url, secret=secret),
                    "python": push_example.python_example(url=url, secret=secret),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "feeds": feeds,
        }
        response = TemplateResponse(request, "admin/ingest/feed/secret_once.html", context)
        add_never_cache_headers(response)
        return response

    @admin.action(description="Deactivate selected feeds", permissions=["change"])
    def deactivate_feeds(self, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
        count = feed_services.set_feeds_active(
            feed_ids=list(queryset.values_list("pk", flat=True)), active=False, by=request.user
        )
        self.message_user(request, f"{count} feed(s) deactivated.", messages.SUCCESS)

    @admin.action(description="Activate selected feeds", permissions=["change"])
    def activate_feeds(self, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
        count = feed_services.set_feeds_active(
            feed_ids=list(queryset.values_list("pk", flat=True)), active=True, by=request.user
        )
        self.message_user(request, f"{count} feed(s) activated.", messages.SUCCESS)

    @admin.action(
        description="Rotate the secret of selected feeds (the old one valid for the overlap)",
        permissions=["change"],
    )
    def rotate_secrets(self, request: HttpRequest, queryset: QuerySet[Feed]) -> TemplateResponse:
        rotated = feed_services.rotate_feed_secrets(
            feed_ids=list(queryset.values_list("pk", flat=True)), by=request.user
        )
        secrets = [(r.slug, r.secret, r.previous_valid_until) for r in rotated]
        return self._secrets_page(request, secrets, "New feed secrets")

    @admin.action(
        description="Stop accepting the previous secret now (it leaked)", permissions=["change"]
    )
    def end_overlaps(self, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
        count = feed_services.end_secret_overlap(
            feed_ids=list(queryset.values_list("pk", flat=True)), by=request.user
        )
        self.message_user(request, f"{count} previous secret(s) revoked.", messages.SUCCESS)


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

    def save_model(self, request: HttpRequest, obj: Actor, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _audit_registry_edit(request, obj, form, change, "actor")


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    form = PlaceForm
    list_display = ("name", "country", "region", "precision", "alias_count", "updated_at")
    list_filter = ("precision", "country")
    search_fields = ("name", "aliases", "region", "country")

    @admin.display(description="aliases")
    def alias_count(self, obj: Place) -> int:
        return len(obj.aliases or [])

    def save_model(self, request: HttpRequest, obj: Place, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _audit_registry_edit(request, obj, form, change, "place")


def _audit_registry_edit(
    request: HttpRequest, obj: Actor | Place, form: Any, change: bool, kind: str
) -> None:
    # The admin's change view runs in one transaction: the entry commits with the edit.
    fields = ", ".join(form.changed_data) or "nothing"
    audit.record(
        by=request.user,
        action=AuditAction.REGISTRY_CHANGED if change else AuditAction.REGISTRY_ADDED,
        object_type=kind,
        object_id=obj.pk,
        summary=f"{kind} {obj}: {'changed ' + fields if change else 'added'}",
    )


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail, read-only: who created feeds, rotated secrets, changed slugs and
    edited the registry, and when."""

    list_display = ("at", "username", "action", "object_type", "object_id", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("username", "object_id", "summary")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
        "its_updates",
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

    @admin.display(description="changed by its updates")
    def its_updates(self, obj: Article) -> str:
        rows = [
            (
                reverse("admin:events_incidentrow_change", args=[u.incident_id]),
                str(u.incident_id)[:8],
                u.field,
                "none" if u.old is None else u.old,
                "none" if u.new is None else u.new,
            )
            for u in updates_of_article(article_id=obj.pk)
        ]
        if not rows:
            return "(none)"
        return format_html(
            '<ul class="source-updates">{}</ul>',
            format_html_join(
                "", '<li><a href="{}">{}</a>: {} {} &rarr; {} (source updated)</li>', rows
            ),
        )

    @admin.action(description="Classify again", permissions=["change"])
    def classify_again(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        count = reclassify.classify_again(article_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} article(s) queued for classification.")
