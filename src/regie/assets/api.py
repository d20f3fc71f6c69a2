"""API serializers and endpoints of the fleet."""

from __future__ import annotations

from typing import Any

from regie.assets.filters import (
    AssetFilterSet,
    AssetModelFilterSet,
    AssetTypeFilterSet,
    ContractFilterSet,
    SupplierFilterSet,
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
from regie.core.models import ChangeSource
from regie.core.rest.serializers import ModelSerializer
from regie.core.rest.viewsets import PolicyModelViewSet
from regie.directory.api import (
    DepartmentSerializer,
    PersonSerializer,
    RoomSerializer,
    SiteSerializer,
)


class AssetTypeSerializer(ModelSerializer):
    brief_fields = ("id", "name", "kind", "prefix")

    class Meta(ModelSerializer.Meta):
        model = AssetType
        fields = "__all__"


class ManufacturerSerializer(ModelSerializer):
    brief_fields = ("id", "name")

    class Meta(ModelSerializer.Meta):
        model = Manufacturer
        fields = "__all__"


class AssetModelSerializer(ModelSerializer):
    brief_fields = ("id", "name")
    manufacturer_brief = ManufacturerSerializer.Brief(source="manufacturer", read_only=True)
    asset_type_brief = AssetTypeSerializer.Brief(source="asset_type", read_only=True)

    class Meta(ModelSerializer.Meta):
        model = AssetModel
        fields = "__all__"


class SupplierSerializer(ModelSerializer):
    brief_fields = ("id", "name")

    class Meta(ModelSerializer.Meta):
        model = Supplier
        fields = "__all__"


class ContractSerializer(ModelSerializer):
    brief_fields = ("id", "name", "kind")
    supplier_brief = SupplierSerializer.Brief(source="supplier", read_only=True)

    class Meta(ModelSerializer.Meta):
        model = Contract
        fields = "__all__"


class AssetSerializer(ModelSerializer):
    brief_fields = ("id", "inventory_number", "name")
    asset_type_brief = AssetTypeSerializer.Brief(source="asset_type", read_only=True)
    manufacturer_brief = ManufacturerSerializer.Brief(source="manufacturer", read_only=True)
    model_brief = AssetModelSerializer.Brief(source="model", read_only=True)
    site_brief = SiteSerializer.Brief(source="site", read_only=True)
    room_brief = RoomSerializer.Brief(source="room", read_only=True)
    assigned_to_brief = PersonSerializer.Brief(source="assigned_to", read_only=True)
    department_brief = DepartmentSerializer.Brief(source="department", read_only=True)
    supplier_brief = SupplierSerializer.Brief(source="supplier", read_only=True)
    contract_brief = ContractSerializer.Brief(source="contract", read_only=True)

    class Meta(ModelSerializer.Meta):
        model = Asset
        fields = "__all__"

    def save_instance(self, instance: Any) -> Any:
        return save_asset(asset=instance, by=self.user, source=ChangeSource.API)


class AssetTypeViewSet(PolicyModelViewSet):
    policy = asset_type_policy
    queryset = AssetType.objects.all()
    serializer_class = AssetTypeSerializer
    filterset_class = AssetTypeFilterSet


class ManufacturerViewSet(PolicyModelViewSet):
    policy = manufacturer_policy
    queryset = Manufacturer.objects.all()
    serializer_class = ManufacturerSerializer


class AssetModelViewSet(PolicyModelViewSet):
    policy = asset_model_policy
    queryset = AssetModel.objects.select_related("manufacturer", "asset_type")
    serializer_class = AssetModelSerializer
    filterset_class = AssetModelFilterSet


class SupplierViewSet(PolicyModelViewSet):
    policy = supplier_policy
    queryset = Supplier.objects.all()
    serializer_class = SupplierSerializer
    filterset_class = SupplierFilterSet


class ContractViewSet(PolicyModelViewSet):
    policy = contract_policy
    queryset = Contract.objects.select_related("supplier")
    serializer_class = ContractSerializer
    filterset_class = ContractFilterSet


class AssetViewSet(PolicyModelViewSet):
    policy = asset_policy
    queryset = Asset.objects.select_related(
        "asset_type",
        "manufacturer",
        "model",
        "site",
        "room",
        "assigned_to",
        "department",
        "supplier",
        "contract",
    )
    serializer_class = AssetSerializer
    filterset_class = AssetFilterSet


routes = [
    ("asset-types", AssetTypeViewSet),
    ("manufacturers", ManufacturerViewSet),
    ("asset-models", AssetModelViewSet),
    ("assets", AssetViewSet),
    ("suppliers", SupplierViewSet),
    ("contracts", ContractViewSet),
]
