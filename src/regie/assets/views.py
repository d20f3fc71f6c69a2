"""Pages of the fleet: assets, the catalogue (types, manufacturers, models), suppliers and
contracts."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from regie.assets.filters import (
    AssetFilterSet,
    AssetModelFilterSet,
    AssetTypeFilterSet,
    ContractFilterSet,
    ManufacturerFilterSet,
    SupplierFilterSet,
)
from regie.assets.forms import (
    AssetForm,
    AssetModelForm,
    AssetTypeForm,
    ContractForm,
    ManufacturerForm,
    SupplierForm,
)
from regie.assets.models import Asset, AssetModel, AssetType, Contract, Manufacturer, Supplier
from regie.assets.permissions import (
    asset_model_policy,
    asset_policy,
    asset_type_policy,
    contract_policy,
    manufacturer_policy,
    supplier_policy,
)
from regie.assets.services import save_asset
from regie.core.crud import (
    Column,
    CrudDeleteView,
    CrudDetailView,
    CrudFormView,
    CrudListView,
    CrudView,
)
from regie.core.history import history_of

RELATED_LIMIT = 50
HISTORY_LIMIT = 200


class FleetView(CrudView):
    namespace = "assets"


# --- assets ----------------------------------------------------------------------------------


class AssetMixin(FleetView):
    model = Asset
    policy = asset_policy
    slug = "asset"


class AssetListView(AssetMixin, CrudListView):
    """The fleet list; ``Asset.objects.for_list()`` (the policy's base) joins every column."""

    template_name = "assets/asset_list.html"
    filterset_class = AssetFilterSet
    filter_fields = ("q", "status", "asset_type", "site", "department")
    columns = (
        Column("inventory_number", _("Inventory number"), "inventory_number", link=True),
        Column("name", _("Name"), "name"),
        Column("asset_type", _("Type"), "asset_type"),
        Column("get_status_display", _("Status"), "status", badge="status"),
        Column("site", _("Site"), "site"),
        Column("assigned_to", _("Assigned to"), "assigned_to"),
        Column("warranty_end", _("End of warranty"), "warranty_end"),
    )


class AssetDetailView(AssetMixin, CrudDetailView):
    template_name = "assets/asset_detail.html"

    def related(self, obj: Asset) -> dict[str, Any]:
        # Agents can record many changes; the newest ones are what a technician reads.
        return {"history": history_of(obj)[:HISTORY_LIMIT]}


class AssetFormView(AssetMixin, CrudFormView):
    form_class = AssetForm

    def save(self, instance: models.Model) -> models.Model:
        assert isinstance(instance, Asset)  # noqa: S101  # AssetForm builds assets
        return save_asset(asset=instance, by=self.user)


class AssetDeleteView(AssetMixin, CrudDeleteView):
    pass


# --- catalogue -------------------------------------------------------------------------------


class AssetTypeMixin(FleetView):
    model = AssetType
    policy = asset_type_policy
    slug = "assettype"


class AssetTypeListView(AssetTypeMixin, CrudListView):
    template_name = "assets/assettype_list.html"
    filterset_class = AssetTypeFilterSet
    columns = (
        Column("name", _("Name"), link=True),
        Column("get_kind_display", _("Kind")),
        Column("prefix", _("Inventory prefix")),
    )


class AssetTypeDetailView(AssetTypeMixin, CrudDetailView):
    template_name = "crud/object_detail.html"


class AssetTypeFormView(AssetTypeMixin, CrudFormView):
    form_class = AssetTypeForm


class AssetTypeDeleteView(AssetTypeMixin, CrudDeleteView):
    pass


class ManufacturerMixin(FleetView):
    model = Manufacturer
    policy = manufacturer_policy
    slug = "manufacturer"


class ManufacturerListView(ManufacturerMixin, CrudListView):
    template_name = "assets/manufacturer_list.html"
    filterset_class = ManufacturerFilterSet
    columns = (Column("name", _("Name"), link=True),)


class ManufacturerDetailView(ManufacturerMixin, CrudDetailView):
    template_name = "crud/object_detail.html"


class ManufacturerFormView(ManufacturerMixin, CrudFormView):
    form_class = ManufacturerForm


class ManufacturerDeleteView(ManufacturerMixin, CrudDeleteView):
    pass


class AssetModelMixin(FleetView):
    model = AssetModel
    policy = asset_model_policy
    slug = "model"


class AssetModelListView(AssetModelMixin, CrudListView):
    template_name = "assets/model_list.html"
    filterset_class = AssetModelFilterSet
    select_related = ("manufacturer", "asset_type")
    columns = (
        Column("name", _("Name"), link=True),
        Column("manufacturer", _("Manufacturer")),
        Column("asset_type", _("Asset type")),
    )


class AssetModelDetailView(AssetModelMixin, CrudDetailView):
    template_name = "crud/object_detail.html"


class AssetModelFormView(AssetModelMixin, CrudFormView):
    form_class = AssetModelForm


class AssetModelDeleteView(AssetModelMixin, CrudDeleteView):
    pass


# --- suppliers and contracts -----------------------------------------------------------------


class SupplierMixin(FleetView):
    model = Supplier
    policy = supplier_policy
    slug = "supplier"


class SupplierListView(SupplierMixin, CrudListView):
    template_name = "assets/supplier_list.html"
    filterset_class = SupplierFilterSet
    columns = (
        Column("name", _("Name"), "name", link=True),
        Column("siret", _("SIRET")),
        Column("phone", _("Phone")),
        Column("email", _("E-mail")),
    )


class SupplierDetailView(SupplierMixin, CrudDetailView):
    template_name = "assets/supplier_detail.html"

    def related(self, obj: Supplier) -> dict[str, Any]:
        assets = asset_policy.visible(self.user, Asset.objects.for_list().filter(supplier=obj))
        return {
            "contracts": contract_policy.visible(self.user, obj.contracts.all()),
            "assets": assets[:RELATED_LIMIT],
            "asset_count": assets.count(),
        }


class SupplierFormView(SupplierMixin, CrudFormView):
    form_class = SupplierForm


class SupplierDeleteView(SupplierMixin, CrudDeleteView):
    pass


class ContractMixin(FleetView):
    model = Contract
    policy = contract_policy
    slug = "contract"


class ContractListView(ContractMixin, CrudListView):
    template_name = "assets/contract_list.html"
    filterset_class = ContractFilterSet
    select_related = ("supplier",)
    columns = (
        Column("name", _("Name"), "name", link=True),
        Column("get_kind_display", _("Kind")),
        Column("supplier", _("Supplier")),
        Column("end_date", _("End date"), "end_date"),
        Column("yearly_cost", _("Yearly cost (€)"), "yearly_cost"),
    )


class ContractDetailView(ContractMixin, CrudDetailView):
    template_name = "assets/contract_detail.html"

    def related(self, obj: Contract) -> dict[str, Any]:
        assets = asset_policy.visible(self.user, Asset.objects.for_list().filter(contract=obj))
        return {"assets": assets[:RELATED_LIMIT], "asset_count": assets.count()}


class ContractFormView(ContractMixin, CrudFormView):
    form_class = ContractForm


class ContractDeleteView(ContractMixin, CrudDeleteView):
    pass
