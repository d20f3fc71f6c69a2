from __future__ import annotations

from django import forms
from django.core.validators import MinValueValidator

from regie.operations.compliance.models import ComplianceSettings


class ComplianceSettingsForm(forms.ModelForm):  # type: ignore[type-arg]  # django-stubs generic
    class Meta:
        model = ComplianceSettings
        fields = [
            "eol_warning_days",
            "update_max_age_days",
            "inventory_max_age_days",
            "warranty_warning_days",
            "max_events_per_sweep",
            "os_end_of_support_enabled",
            "os_updates_enabled",
            "antivirus_enabled",
            "firewall_enabled",
            "disk_encryption_enabled",
            "inventory_stale_enabled",
            "warranty_enabled",
        ]

    def __init__(self, *args: object, read_only: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # ModelForm's own arguments
        for field in self.fields.values():
            if isinstance(field, forms.IntegerField):
                # The model's validators say what is expected ("at least 1 day"); the form
                # field's own "at least 0" would hide that message.
                field.validators = [
                    v for v in field.validators if not isinstance(v, MinValueValidator)
                ]
            field.disabled = read_only
