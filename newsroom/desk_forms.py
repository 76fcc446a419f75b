"""The filters of the desk pages (map, series), checked like any form: a bad date or code
is a form error on the page, never a server error."""

from __future__ import annotations

from typing import Any

from django import forms

from events.domain import IncidentType


def _code(value: str | None) -> str | None:
    value = (value or "").strip()
    return value.upper() if value else None


class MapFilterForm(forms.Form):
    type = forms.ChoiceField(
        choices=[("", "all types"), *((t.value, t.value) for t in IncidentType)], required=False
    )
    actor = forms.CharField(
        max_length=120,
        required=False,
        help_text="as actor or target",
        widget=forms.TextInput(attrs={"list": "actor-codes", "size": 10}),
    )
    country = forms.CharField(
        max_length=3,
        min_length=3,
        required=False,
        widget=forms.TextInput(attrs={"list": "country-codes", "size": 4}),
    )
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean_actor(self) -> str | None:
        return _code(self.cleaned_data.get("actor"))

    def clean_country(self) -> str | None:
        return _code(self.cleaned_data.get("country"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "the end comes before the start")
        return cleaned


class SeriesForm(forms.Form):
    actor = forms.CharField(max_length=120, help_text="e.g. USA")
    target = forms.CharField(
        max_length=120, required=False, help_text="the other actor, for the stance"
    )
    country = forms.CharField(
        max_length=3, min_length=3, required=False, help_text="ISO alpha-3, for the forces"
    )

    def clean_actor(self) -> str | None:
        return _code(self.cleaned_data.get("actor"))

    def clean_target(self) -> str | None:
        return _code(self.cleaned_data.get("target"))

    def clean_country(self) -> str | None:
        return _code(self.cleaned_data.get("country"))
