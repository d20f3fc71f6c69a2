"""The channel form: the signing secret is never shown back, only kept, replaced or removed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from regie.core.forms import PolicyModelForm
from regie.operations.alerts.models import Channel


class ChannelForm(PolicyModelForm):
    secret = forms.CharField(
        label=_("Signing secret"),
        required=False,
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Webhooks only. Each request then carries X-Regie-Signature-256: sha256= and the "
            "HMAC-SHA256 of the body. Leave empty to keep the current secret."
        ),
    )
    remove_secret = forms.BooleanField(label=_("Remove the signing secret"), required=False)
    field_order = [
        "name",
        "enabled",
        "kind",
        "recipients",
        "url",
        "format",
        "secret",
        "remove_secret",
        "event_kinds",
        "min_severity",
    ]

    class Meta:
        model = Channel
        fields = [
            "name",
            "enabled",
            "kind",
            "recipients",
            "url",
            "format",
            "secret",
            "event_kinds",
            "min_severity",
        ]
        widgets = {
            "recipients": forms.Textarea(attrs={"rows": 3}),
            "url": forms.URLInput(attrs={"inputmode": "url"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.secret:
            del self.fields["remove_secret"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("remove_secret"):
            cleaned["secret"] = ""
        elif not cleaned.get("secret"):
            cleaned["secret"] = self.instance.secret
        return cleaned
