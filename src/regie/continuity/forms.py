from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from regie.continuity.models import MessageTemplate
from regie.core.forms import DateInput


class DeclareForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Offices closed until (included)"),
        widget=DateInput(),
        help_text=_("The forwardings, bookings and deliveries are made for this period."),
    )


class MessageTemplateForm(forms.ModelForm[MessageTemplate]):
    class Meta:
        model = MessageTemplate
        fields = ["subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 18})}
