"""Forms of the fleet pages; fields come from the models."""

from __future__ import annotations

from typing import Any

from django import forms

from regie.assets.models import Asset, AssetModel, AssetType, Contract, Manufacturer, Supplier
from regie.core.forms import DateInput, PolicyModelForm, formfield_for
from regie.core.permissions import manages


class AssetForm(PolicyModelForm):
    class Meta:
        model = Asset
        exclude = ["created_at", "updated_at"]
        widgets = {
            "purchase_date": DateInput(),
            "warranty_end": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not manages(self.user):
            # An asset without a site would leave the correspondent's scope for good.
            self.fields["site"].required = True


class AssetTypeForm(PolicyModelForm):
    class Meta:
        model = AssetType
        exclude = ["created_at", "updated_at"]


class ManufacturerForm(PolicyModelForm):
    class Meta:
        model = Manufacturer
        exclude = ["created_at", "updated_at"]


class AssetModelForm(PolicyModelForm):
    class Meta:
        model = AssetModel
        exclude = ["created_at", "updated_at"]


class SupplierForm(PolicyModelForm):
    class Meta:
        model = Supplier
        exclude = ["created_at", "updated_at"]
        formfield_callback = formfield_for
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ContractForm(PolicyModelForm):
    class Meta:
        model = Contract
        exclude = ["created_at", "updated_at"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
