"""Ingestion tables: the feeds and articles that arrive, and the incident lookup the
classifier matches against. Articles are working state, not history: the history is the
event log, which every incident points back into through its sources. (The actor registry
and gazetteer live in the registry app.)"""

from django.conf import settings
from django.db import models


class Feed(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    secret = models.CharField(max_length=128, help_text="HMAC-SHA256 key for X-Signature")
    previous_secret = models.CharField(
        max_length=128, blank=True, help_text="still valid until previous_secret_expires_at"
    )
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    accepts_body_only_signatures = models.BooleanField(
        default=False,
        help_text="also accept the old `sha256=<hex>` signature over the body alone "
        "(no timestamp, so a captured push can be replayed): only for a feed that cannot "
        "send t=...,v1=... yet",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # What the feed's operator and the newsroom look at when a push goes wrong.
    last_push_at = models.DateTimeField(null=True, blank=True)
    pushes_accepted = models.PositiveIntegerField(default=0)
    pushes_duplicate = models.PositiveIntegerField(default=0)
    pushes_refused = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class DeliveryReceipt(models.Model):
    """An `X-Delivery-Id` a feed sent, kept for the signature tolerance window: the same
    id again inside the window is a replay. Older receipts are pruned: outside the window
    the signature's timestamp refuses the push anyway."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="deliveries")
    delivery_id = models.CharField(max_length=200)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feed", "delivery_id"], name="delivery_feed_id")
        ]

    def __str__(self) -> str:
        return f"{self.feed_id}/{self.delivery_id}"


class PushRefusal(models.Model):
    """Why a push to a known feed was refused: the last few per feed, for the admin."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="refusals")
    at = models.DateTimeField(auto_now_add=True)
    status = models.PositiveSmallIntegerField()
    error = models.CharField(max_length=1000)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["feed", "at"], name="pushrefusal_feed_at")]

    def __str__(self) -> str:
        return f"{self.status}: {self.error[:60]}"


class ArticleStatus(models.TextChoices):
    RECEIVED = "received", "received"
    QUEUED = "queued", "queued"
    CLASSIFIED = "classified", "classified"
    FAILED = "failed", "failed"


class Article(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.PROTECT, related_name="articles")
    external_id = models.CharField(max_length=300)
    url = models.URLField(max_length=2000, blank=True)
    canonical_url = models.URLField(max_length=2000, null=True, blank=True)
    title = models.CharField(max_length=1000)
    body = models.TextField()
    outlet = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=12, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(max_length=64)
    copy_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="copies",
        help_text="the first article of another feed with the same URL or text",
    )
    source_updated_at = models.DateTimeField(
        null=True, blank=True, help_text="the feed's updated_at of the stored version"
    )
    sequence = models.BigIntegerField(
        null=True, blank=True, help_text="the feed's sequence number of the stored version"
    )
    earlier_hashes = models.JSONField(
        default=list,
        blank=True,
        help_text="content hashes of the versions this one replaced (the last 20): without "
        "updated_at or sequence, one of these texts again is an old version",
    )
    status = models.CharField(
        max_length=12, choices=ArticleStatus.choices, default=ArticleStatus.RECEIVED
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    classifier_version = models.CharField(max_length=40, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    classified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        # Unique per feed: another feed's copy is stored too (linked by copy_of), so no
        # feed can suppress another's article by pushing its URL or text first.
        constraints = [
            models.UniqueConstraint(
                fields=["feed", "external_id"], name="article_feed_external_id"
            ),
            models.UniqueConstraint(fields=["feed", "canonical_url"], name="article_feed_url"),
            models.UniqueConstraint(fields=["feed", "content_hash"], name="article_feed_hash"),
        ]
        indexes = [
            models.Index(fields=["status", "updated_at"], name="article_status_updated"),
            models.Index(fields=["canonical_url"], name="article_canonical_url"),
            models.Index(fields=["content_hash"], name="article_content_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.feed_id}/{self.external_id}: {self.title[:60]}"


class IncidentKey(models.Model):
    """The matching fields of every incident the classifier opened: a small lookup table
    written in the same transaction as the incident's first event, so the next article can
    find it synchronously (the projections catch up later and may lag)."""

    incident_id = models.UUIDField(primary_key=True)
    type = models.CharField(max_length=20)
    actor = models.CharField(max_length=120)
    target = models.CharField(max_length=120, blank=True)
    location = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=3, blank=True)
    occurred_on = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=10, blank=True)
    reported_on = models.DateField(
        null=True, blank=True, help_text="publication date of the first report"
    )
    active = models.BooleanField(default=True, help_text="false once retracted")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["type", "actor", "active"], name="incidentkey_match")]

    def __str__(self) -> str:
        return f"{self.type} by {self.actor} ({self.incident_id})"


class IncidentSupport(models.Model):
    """Which article (at which content hash) reports which incident: what an updated
    article is compared against to retract the incidents only its old version supported."""

    incident = models.ForeignKey(IncidentKey, on_delete=models.CASCADE, related_name="supports")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="supports")
    content_hash = models.CharField(max_length=64)
    event_index = models.PositiveIntegerField()
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "article"], name="support_incident_article")
        ]
        indexes = [models.Index(fields=["article", "active"], name="support_article_active")]

    def __str__(self) -> str:
        return f"article {self.article_id} -> {self.incident_id}"


class AuditAction(models.TextChoices):
    FEED_CREATED = "feed_created", "feed created"
    SECRET_ROTATED = "secret_rotated", "secret rotated"
    SLUG_CHANGED = "slug_changed", "slug changed"
    FEED_CHANGED = "feed_changed", "feed changed"
    REGISTRY_ADDED = "registry_added", "registry entry added"
    REGISTRY_CHANGED = "registry_changed", "registry entry changed"


class AuditEntry(models.Model):
    """Who did what to the trust-bearing configuration, and when: feeds and their secrets,
    and the registry the classifier reads. Written by the services and admin actions that
    make the change; never edited (the admin shows it read-only)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    username = models.CharField(max_length=150, blank=True, help_text="kept if the user goes")
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=100)
    summary = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or 'system'}: {self.action}"
