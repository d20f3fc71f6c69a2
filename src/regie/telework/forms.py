"""Forms of the telework pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from regie.assets.models import Asset, AssetStatus
from regie.core.forms import DateInput, PolicyModelForm
from regie.core.pickers import use_pickers
from regie.directory.models import Person
from regie.telework.models import Charter, RemoteAccess, Reservation, ReturnCondition
from regie.telework.pool import lendable_assets

_EXCLUDED = ["created_at", "updated_at"]
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class DateTimeInput(forms.DateTimeInput):
    """A native date and time picker."""

    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _people() -> Any:
    return Person.objects.filter(active=True)


class CharterForm(PolicyModelForm):
    class Meta:
        model = Charter
        exclude = _EXCLUDED
        widgets = {"effective_date": DateInput(), "text": forms.Textarea(attrs={"rows": 15})}


class RemoteAccessForm(PolicyModelForm):
    class Meta:
        model = RemoteAccess
        exclude = _EXCLUDED
        widgets = {"recorded_on": DateInput()}


class ReservationForm(forms.Form):
    asset = forms.ModelChoiceField(queryset=Asset.objects.none(), label=_("Equipment"))
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Person"))
    start = forms.DateTimeField(label=_("Start"), widget=DateTimeInput())
    end = forms.DateTimeField(label=_("End"), widget=DateTimeInput())
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["asset"].queryset = lendable_assets()  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["person"].queryset = _people()  # type: ignore[attr-defined]  # a ModelChoiceField
        use_pickers(self, only=("person",))


class ReservationChangeForm(forms.Form):
    """New dates or notes for a booked reservation (the equipment and the person stay)."""

    start = forms.DateTimeField(label=_("Start"), widget=DateTimeInput())
    end = forms.DateTimeField(label=_("End"), widget=DateTimeInput())
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 3}))


class CheckOutForm(forms.Form):
    asset = forms.ModelChoiceField(queryset=Asset.objects.none(), label=_("Equipment"))
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Borrower"))
    reservation = forms.ModelChoiceField(
        queryset=Reservation.objects.none(),
        label=_("Reservation"),
        required=False,
        widget=forms.HiddenInput(),
    )
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())
    typed_name = forms.CharField(
        label=_("Full name of the borrower"),
        max_length=201,
        help_text=_("The borrower types their first and last name to accept the IT charter."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["asset"].queryset = lendable_assets().filter(status=AssetStatus.STOCK)  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["person"].queryset = _people()  # type: ignore[attr-defined]  # a ModelChoiceField
        use_pickers(self, only=("person",))
        self.fields["reservation"].queryset = Reservation.objects.booked()  # type: ignore[attr-defined]  # a ModelChoiceField


class CheckInForm(forms.Form):
    return_condition = forms.ChoiceField(
        label=_("Condition"), choices=ReturnCondition.choices, widget=forms.RadioSelect
    )
    return_note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Required when the equipment is damaged or accessories are missing."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: e-mail, MFA, Office 365 (yes/no), and optionally date and source; "
            "separator ; or ,."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload
