"""Forms of the telephony pages; fields come from the models."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from regie.core.forms import DateInput, PolicyModelForm
from regie.directory.models import Person, Site
from regie.telephony.models import (
    ContinuityPlan,
    CopperCutoff,
    DepartmentOnCall,
    Extension,
    Line,
    Operator,
    OperatorContract,
    SimCard,
    SiteFallback,
)
from regie.telephony.numbers import normalise_number

_EXCLUDED = ["created_at", "updated_at"]
_NOTES = forms.Textarea(attrs={"rows": 3})


class OperatorForm(PolicyModelForm):
    class Meta:
        model = Operator
        exclude = _EXCLUDED
        widgets = {"notes": _NOTES}


class OperatorContractForm(PolicyModelForm):
    class Meta:
        model = OperatorContract
        exclude = _EXCLUDED
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "notes": _NOTES}


class LineForm(PolicyModelForm):
    class Meta:
        model = Line
        exclude = _EXCLUDED
        widgets = {"notes": _NOTES}


class ExtensionForm(PolicyModelForm):
    class Meta:
        model = Extension
        exclude = _EXCLUDED
        widgets = {"notes": _NOTES}


class SimCardForm(PolicyModelForm):
    """The codes are typed in, never shown back: an empty field keeps the stored code."""

    pin = forms.CharField(
        label=_("PIN code"),
        required=False,
        max_length=8,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "inputmode": "numeric"}),
        help_text=_("Leave empty to keep the stored code."),
    )
    puk = forms.CharField(
        label=_("PUK code"),
        required=False,
        max_length=16,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "inputmode": "numeric"}),
        help_text=_("Leave empty to keep the stored code."),
    )

    class Meta:
        model = SimCard
        exclude = _EXCLUDED
        widgets = {"notes": _NOTES}

    def clean_pin(self) -> str:
        return _digits(self.cleaned_data["pin"], 4, 8, _("A PIN code has 4 to 8 digits."))

    def clean_puk(self) -> str:
        return _digits(self.cleaned_data["puk"], 8, 16, _("A PUK code has 8 to 16 digits."))

    def save(self, commit: bool = True) -> SimCard:
        sim_card: SimCard = super().save(commit=False)
        sim_card.set_codes(
            pin=self.cleaned_data.get("pin") or None, puk=self.cleaned_data.get("puk") or None
        )
        if commit:
            sim_card.save()
        return sim_card


def _digits(value: str, shortest: int, longest: int, message: Any) -> str:
    value = value.strip()
    if value and not (value.isdigit() and shortest <= len(value) <= longest):
        raise forms.ValidationError(message)
    return value


class SiteFallbackForm(PolicyModelForm):
    class Meta:
        model = SiteFallback
        exclude = _EXCLUDED


class DepartmentOnCallForm(PolicyModelForm):
    class Meta:
        model = DepartmentOnCall
        exclude = _EXCLUDED


class CopperCutoffForm(PolicyModelForm):
    class Meta:
        model = CopperCutoff
        exclude = _EXCLUDED
        widgets = {"cutoff_date": DateInput(), "notes": _NOTES}


class ContinuityPlanForm(PolicyModelForm):
    class Meta:
        model = ContinuityPlan
        fields = ["title", "starts_on", "people", "sites", "notes"]
        widgets = {"starts_on": DateInput(), "notes": _NOTES}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = self.fields["people"].queryset.filter(active=True)  # type: ignore[attr-defined]  # a ModelMultipleChoiceField

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        people: list[Person] = list(cleaned.get("people") or [])
        sites: list[Site] = list(cleaned.get("sites") or [])
        if not people and not sites:
            raise forms.ValidationError(_("Choose at least one person or one site."))
        return cleaned


class ForwardingForm(forms.Form):
    active = forms.BooleanField(label=_("Forwarded"), required=False)
    target = forms.CharField(label=_("Forwarded to"), required=False, max_length=32)
    note = forms.CharField(label=_("Note"), required=False, max_length=255)

    def clean_target(self) -> str:
        raw = self.cleaned_data["target"]
        return normalise_number(raw) if raw else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("active") and not cleaned.get("target") and "target" not in self.errors:
            self.add_error("target", _("Give the number calls are forwarded to."))
        return cleaned


class ItemDoneForm(forms.Form):
    target = forms.CharField(label=_("Forward to"), required=False, max_length=32)

    def clean_target(self) -> str:
        raw = self.cleaned_data["target"]
        return normalise_number(raw) if raw else ""


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    operator = forms.ModelChoiceField(
        queryset=Operator.objects.all(), required=False, label=_("Operator")
    )
    valid_only = forms.BooleanField(
        label=_("Import the valid rows only, even if others are refused"), required=False
    )
    dry_run = forms.BooleanField(label=_("Check only (import nothing)"), required=False)
