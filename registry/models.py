"""The actor registry and the gazetteer: the data newsroom staff extend, which the
classifier reads (as aliases) and the read models key on (actor codes, country-level
places). The ground floor: this app imports none of the others."""

from django.db import models


class ActorKind(models.TextChoices):
    STATE = "state", "state"
    ARMED_GROUP = "armed_group", "armed group"
    MILITIA = "militia", "militia"
    MILITIA_UMBRELLA = "militia_umbrella", "militia umbrella"
    ARMED_FORCES = "armed_forces", "armed forces"
    COALITION = "coalition", "coalition"
    INTERGOVERNMENTAL = "intergovernmental", "intergovernmental"
    SUBNATIONAL = "subnational_government", "sub-national government"
    OTHER = "other", "other"


class Actor(models.Model):
    code = models.CharField(max_length=40, primary_key=True, help_text="ISO alpha-3 or SHORT_CODE")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=ActorKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    aliases = models.JSONField(
        default=list, blank=True, help_text="names, capitals, demonyms, officials, as written"
    )
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.name})"


class PlacePrecision(models.TextChoices):
    COUNTRY = "country", "country"
    REGION = "region", "region / province"
    CITY = "city", "city / town"
    SITE = "site", "site / base"


class Place(models.Model):
    name = models.CharField(max_length=200, unique=True, help_text="canonical name")
    aliases = models.JSONField(default=list, blank=True)
    country = models.CharField(max_length=3, help_text="ISO 3166-1 alpha-3")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    precision = models.CharField(max_length=10, choices=PlacePrecision.choices)
    region = models.CharField(max_length=200, blank=True, help_text="province / governorate")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


class LearnedAliasStatus(models.TextChoices):
    PROPOSED = "proposed", "proposed"
    ACCEPTED = "accepted", "accepted"
    REJECTED = "rejected", "rejected"


class LearnedAlias(models.Model):
    """A person the classifier saw introduced with an actor's title ("Kenyan President
    William Ruto"), proposed as that actor's alias until an editor accepts or rejects it.
    People are never hand-listed: this is how they reach the registry."""

    name = models.CharField(max_length=200)
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="learned_aliases")
    first_article_id = models.BigIntegerField(
        null=True, blank=True, help_text="the article it was first seen in"
    )
    evidence = models.TextField(blank=True, help_text="where it was first seen")
    times_seen = models.PositiveIntegerField(default=1)
    status = models.CharField(
        max_length=10, choices=LearnedAliasStatus.choices, default=LearnedAliasStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["status", "-times_seen", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "actor"], name="learned_alias_name_actor")
        ]
        verbose_name_plural = "learned aliases"

    def __str__(self) -> str:
        return f"{self.name} -> {self.actor_id} ({self.status})"
