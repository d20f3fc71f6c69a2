"""Pages of the fleet: assets, the catalogue (types, manufacturers, models), suppliers and
contracts."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from regie.assets.filters import (
    AssetFilterSet,
    AssetModelFilterSet,
    AssetTypeFilterSet,
    ContractFilterSet,
    ManufacturerFilterSet,
    SoftwareFilterSet,
    SoftwareInstallationFilterSet,
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
from regie.assets.models import (
    Asset,
    AssetModel,
    AssetType,
    Contract,
    Manufacturer,
    Software,
    SoftwareInstallation,
    SoftwareVersion,
    Supplier,
)
from regie.assets.permissions import (
    asset_model_policy,
    asset_policy,
    asset_type_policy,
    contract_policy,
    manufacturer_policy,
    software_installation_policy,
    software_policy,
    supplier_policy,
)
from regie.assets.services import INVENTORY_FIELDS, save_asset, unlock_asset_field
from regie.assets.tabs import field_label, locked_fields, page_size, tab_context
from regie.core.crud import (
    Column,
    CrudDeleteView,
    CrudDetailView,
    CrudFormView,
    CrudListView,
    CrudView,
    url_with,
)
from regie.core.formatting import format_money
from regie.core.models import User
from regie.core.permissions import Action, reads_everything

RELATED_LIMIT = 50


class FleetView(CrudView):
    namespace = "assets"


class PartialDetailView(CrudDetailView):
    """A detail page whose htmx requests get only the ``partial_name`` partial."""

    partial_name: ClassVar[str]

    def render(self, context: dict[str, Any], template: str | None = None) -> TemplateResponse:
        htmx = self.request.htmx  # type: ignore[attr-defined]  # set by HtmxMiddleware
        if htmx and not htmx.history_restore_request:
            template = f"{self.template_name}#{self.partial_name}"
        response = super().render(context, template)
        # The same URL answers a full page or a fragment: caches must keep them apart.
        patch_vary_headers(response, ["HX-Request"])
        return response


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


class AssetDetailView(AssetMixin, PartialDetailView):
    """The asset page and its tabs (``?tab=``); htmx gets the ``tab-panel`` partial."""

    template_name = "assets/asset_detail.html"
    detail_fields = (
        "inventory_number",
        "name",
        "asset_type",
        "manufacturer",
        "model",
        "serial_number",
        "hardware_uuid",
        "status",
        "site",
        "room",
        "assigned_to",
        "department",
        "purchase_date",
        "purchase_price",
        "supplier",
        "order_reference",
        "warranty_end",
        "contract",
        "notes",
    )
    partial_name = "tab-panel"

    def related(self, obj: Asset) -> dict[str, Any]:
        locked = locked_fields(obj)
        return {
            **tab_context(self.user, obj, self.request.GET),
            "locked": locked,
            "locked_labels": {field.label for field in locked},
            "can_unlock": asset_policy.can_change(self.user, obj),
        }


@login_required
@require_POST
def asset_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Let the inventory write a hand-edited field again."""
    asset = asset_policy.get_for_user(request.user, pk, Action.CHANGE)
    field = request.POST.get("field", "")
    if field not in INVENTORY_FIELDS:
        return HttpResponseBadRequest(gettext("This field cannot be locked."))
    assert isinstance(request.user, User)  # noqa: S101  # login_required ran first
    unlock_asset_field(asset=asset, field=field, by=request.user)
    label = field_label(field)
    messages.success(
        request, gettext("“%(field)s” will be updated by the next inventory.") % {"field": label}
    )
    return HttpResponseRedirect(asset.get_absolute_url())


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
    detail_fields = (
        "name",
        "kind",
        "prefix",
    )


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
    detail_fields = ("name",)


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
    detail_fields = (
        "manufacturer",
        "name",
        "asset_type",
    )


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
    detail_fields = (
        "name",
        "siret",
        "email",
        "phone",
        "website",
        "address",
        "notes",
    )

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
        Column("yearly_cost", _("Yearly cost"), "yearly_cost", display=format_money),
    )


class ContractDetailView(ContractMixin, CrudDetailView):
    template_name = "assets/contract_detail.html"
    detail_fields = (
        "name",
        "kind",
        "supplier",
        "reference",
        "start_date",
        "end_date",
        "notice_period_days",
        "yearly_cost",
        "notes",
    )

    def related(self, obj: Contract) -> dict[str, Any]:
        assets = asset_policy.visible(self.user, Asset.objects.for_list().filter(contract=obj))
        return {"assets": assets[:RELATED_LIMIT], "asset_count": assets.count()}


class ContractFormView(ContractMixin, CrudFormView):
    form_class = ContractForm


class ContractDeleteView(ContractMixin, CrudDeleteView):
    pass


# --- software catalogue ----------------------------------------------------------------------


def _count(queryset: QuerySet[Any], group: str) -> Combinable:
    """The number of rows of ``queryset`` (correlated with ``OuterRef``), 0 when none."""
    counted = queryset.order_by().values(group).annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0)


class SoftwareMixin(FleetView):
    model = Software
    policy = software_policy
    slug = "software"


class SoftwareListView(SoftwareMixin, CrudListView):
    """Software with its number of versions and of installations the user may see; the
    counts are correlated subqueries of the page query (one COUNT, one page query)."""

    template_name = "assets/software_list.html"
    filterset_class = SoftwareFilterSet
    columns = (
        Column("name", _("Name"), "name", link=True),
        Column("publisher", _("Publisher"), "publisher"),
        Column("version_count", _("Versions")),
        Column("installation_count", _("Installations"), "installs"),
    )

    def get_queryset(self) -> QuerySet[Software]:
        installations = software_installation_policy.visible(
            self.user, SoftwareInstallation.objects.filter(version__software=OuterRef("pk"))
        )
        versions = SoftwareVersion.objects.filter(software=OuterRef("pk"))
        return Software.objects.annotate(
            version_count=_count(versions, "software"),
            installation_count=_count(installations, "version__software"),
        )


class SoftwareDetailView(SoftwareMixin, PartialDetailView):
    """A program's versions and the machines running each: "which machines run X"."""

    template_name = "assets/software_detail.html"
    detail_fields = (
        "name",
        "publisher",
    )
    partial_name = "machines"

    def related(self, obj: Software) -> dict[str, Any]:
        params = self.request.GET
        visible = software_installation_policy.visible(self.user)
        versions = obj.versions.annotate(
            installation_count=Count(
                "installations", filter=Q(installations__in=visible.values("pk"))
            )
        ).order_by("version", "architecture")
        if not reads_everything(self.user):
            # Only the versions running on the machines they see.
            versions = versions.filter(installation_count__gt=0)
        machines = visible.filter(version__software=obj).select_related(
            "asset", "asset__site", "version"
        )
        filterset = SoftwareInstallationFilterSet(params, queryset=machines.order_by("asset__name"))
        page = Paginator(filterset.qs, page_size(params)).get_page(params.get("page"))
        return {
            "versions": versions,
            "selected_version": params.get("version", ""),
            "machines_page": page,
            "previous_url": (
                url_with(params, page=page.previous_page_number()) if page.has_previous() else ""
            ),
            "next_url": url_with(params, page=page.next_page_number()) if page.has_next() else "",
        }
