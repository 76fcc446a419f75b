"""Admin form pieces for the registry: aliases edited as text, one per line."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from ingest.models import Feed
from registry.models import Actor, Place

MAX_ALIAS_LENGTH = 200


class AliasesField(forms.Field):
    """A JSON list of strings shown as a textarea with one alias per line.

    Staff paste names as written in the press; blank lines and surrounding spaces are
    dropped and repeats removed (keeping the first spelling), so the stored list is clean.
    """

    widget = forms.Textarea(attrs={"rows": 6, "cols": 60})

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return "" if value is None else str(value)

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list):
            lines = [str(item) for item in value]
        else:
            lines = str(value or "").splitlines()
        aliases: list[str] = []
        seen: set[str] = set()
        for line in lines:
            alias = line.strip()
            if not alias or alias.casefold() in seen:
                continue
            if len(alias) > MAX_ALIAS_LENGTH:
                raise ValidationError(
                    f"an alias is longer than {MAX_ALIAS_LENGTH} characters: {alias[:40]}..."
                )
            seen.add(alias.casefold())
            aliases.append(alias)
        return aliases

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.to_python(initial or []) != self.to_python(data)


class ActorForm(forms.ModelForm):
    aliases = AliasesField(required=False, help_text="One alias per line, as written.")

    class Meta:
        model = Actor
        fields = ["code", "name", "kind", "parent", "aliases", "active"]

    def clean_parent(self) -> Actor | None:
        parent: Actor | None = self.cleaned_data.get("parent")
        code = self.cleaned_data.get("code") or (self.instance.pk if self.instance else None)
        # Walk up from the chosen parent: meeting this actor again would make a cycle.
        seen: set[str] = set()
        node = parent
        while node is not None and node.pk not in seen:
            if node.pk == code:
                raise ValidationError("an actor cannot be its own ancestor")
            seen.add(node.pk)
            node = node.parent
        return parent


class PlaceForm(forms.ModelForm):
    aliases = AliasesField(required=False, help_text="One alias per line, as written.")

    class Meta:
        model = Place
        fields = [
            "name",
            "aliases",
            "country",
            "region",
            "precision",
            "latitude",
            "longitude",
        ]

    def clean_country(self) -> str:
        country = str(self.cleaned_data.get("country") or "").strip().upper()
        if len(country) != 3 or not country.isalpha():
            raise ValidationError("an ISO 3166-1 alpha-3 code, e.g. IRQ")
        return country


class FeedCreationForm(forms.ModelForm):
    """New feeds: slug and name only; the secret is generated, never typed."""

    class Meta:
        model = Feed
        fields = ["slug", "name", "active"]
