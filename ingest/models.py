"""Ingestion tables: the feeds and articles that arrive, and the incident lookup the
classifier matches against. Articles are working state, not history: the history is the
event log, which every incident points back into through its sources. (The actor registry
and gazetteer live in the registry app.)"""

from django.db import models


class Feed(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    secret = models.CharField(max_length=128, help_text="HMAC-SHA256 key for X-Signature")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class ArticleStatus(models.TextChoices):
    RECEIVED = "received", "received"
    QUEUED = "queued", "queued"
    CLASSIFIED = "classified", "classified"
    FAILED = "failed", "failed"


class Article(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.PROTECT, related_name="articles")
    external_id = models.CharField(max_length=300)
    url = models.URLField(max_length=2000, blank=True)
    canonical_url = models.URLField(max_length=2000, null=True, blank=True, unique=True)
    title = models.CharField(max_length=1000)
    body = models.TextField()
    outlet = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=12, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, unique=True)
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
        constraints = [
            models.UniqueConstraint(fields=["feed", "external_id"], name="article_feed_external_id")
        ]
        indexes = [models.Index(fields=["status", "updated_at"], name="article_status_updated")]

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
