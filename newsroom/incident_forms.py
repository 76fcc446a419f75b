"""Forms of the incident pages: what an editor may send, checked before any service runs.

Field-level checks here give the editor a form error next to the field; the domain's
payload validation (in the services) remains the last word and is shown the same way.
"""

from __future__ import annotations

from typing import Any

from django import forms

from events.domain import DatePrecision, Factuality, IncidentType


def _choices(enum: Any, *, blank: bool) -> list[tuple[str, str]]:
    values = [(member.value, member.value.replace("_", " ")) for member in enum]
    return [("", "—"), *values] if blank else values


class IncidentFieldsForm(forms.Form):
    """The fields of an incident, as `events.domain.IncidentFields` defines them."""

    type = forms.ChoiceField(choices=_choices(IncidentType, blank=False))
    actor = forms.CharField(max_length=120, required=False, help_text="actor code, e.g. USA")
    target = forms.CharField(max_length=120, required=False)
    location = forms.CharField(max_length=200, required=False)
    country = forms.CharField(min_length=3, max_length=3, required=False, help_text="ISO alpha-3")
    latitude = forms.FloatField(min_value=-90, max_value=90, required=False)
    longitude = forms.FloatField(min_value=-180, max_value=180, required=False)
    quantity_value = forms.IntegerField(min_value=0, required=False, label="quantity")
    quantity_unit = forms.CharField(max_length=40, required=False, label="unit")
    killed = forms.IntegerField(min_value=0, required=False)
    injured = forms.IntegerField(min_value=0, required=False)
    occurred_on = forms.DateField(required=False, help_text="YYYY-MM-DD")
    date_precision = forms.ChoiceField(choices=_choices(DatePrecision, blank=True), required=False)
    deadline = forms.DateTimeField(required=False, help_text="YYYY-MM-DD HH:MM (UTC)")
    status = forms.ChoiceField(choices=_choices(Factuality, blank=False), label="factuality")

    def clean_country(self) -> str | None:
        country = (self.cleaned_data.get("country") or "").strip().upper()
        if country and not country.isalpha():
            raise forms.ValidationError("an ISO alpha-3 code, e.g. IRQ")
        return country or None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("quantity_value") is not None and not cleaned.get("quantity_unit"):
            self.add_error("quantity_unit", "a quantity needs its unit (troops, ships...)")
        return cleaned

    @staticmethod
    def initial_from(fields: dict[str, Any]) -> dict[str, Any]:
        quantity = fields.get("quantity") or {}
        initial = {k: v for k, v in fields.items() if k != "quantity"}
        initial["quantity_value"] = quantity.get("value")
        initial["quantity_unit"] = quantity.get("unit")
        return initial

    def incident_fields(self) -> dict[str, Any]:
        """The cleaned values in the domain's shape (blank strings mean 'none')."""
        data = dict(self.cleaned_data)
        value, unit = data.pop("quantity_value", None), data.pop("quantity_unit", "")
        fields = {
            name: (data.get(name) if data.get(name) not in ("",) else None)
            for name in IncidentFieldsForm.base_fields
            if not name.startswith("quantity_")
        }
        fields["quantity"] = {"value": value, "unit": unit} if unit else None
        for name in ("occurred_on", "deadline"):
            value = fields.get(name)
            if value is not None:
                fields[name] = value.isoformat()
        return fields


class VersionedForm(forms.Form):
    # The stream version the page showed: the services refuse to act on a newer stream.
    expected_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


REASON_HELP = "Why: it stays in the incident's history."


class CorrectionForm(IncidentFieldsForm, VersionedForm):
    reason = forms.CharField(
        min_length=3,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
    )


class RetractionForm(VersionedForm):
    reason = forms.CharField(
        min_length=3,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
    )


class VerificationForm(VersionedForm):
    note = forms.CharField(max_length=2000, required=False)


class ReportForm(IncidentFieldsForm):
    evidence = forms.CharField(
        max_length=5000,
        min_length=3,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The sentence or note this incident rests on.",
    )
    outlet = forms.CharField(max_length=200, required=False, help_text="where it was reported")


class MergeForm(forms.Form):
    survivor = forms.ChoiceField(
        widget=forms.RadioSelect, help_text="The incident that stays; the others fold into it."
    )
    reason = forms.CharField(max_length=2000, initial="duplicate")

    def __init__(self, *args: Any, candidates: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        survivor = self.fields["survivor"]
        assert isinstance(survivor, forms.ChoiceField)
        survivor.choices = candidates
