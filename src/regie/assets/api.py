"""API serializers and endpoints of the fleet."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets

from regie.assets.filters import (
    AssetFilterSet,
    AssetModelFilterSet,
    AssetTypeFilterSet,
    ContractFilterSet,
    SoftwareFilterSet,
    SoftwareInstallationFilterSet,
    SupplierFilterSet,
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
from regie.assets.services import save_asset
from regie.core.collation import collated
from regie.core.models import ChangeSource
from regie.core.permissions import AnyUser
from regie.core.rest.permissions import PolicyPermission
from regie.core.rest.schema import AutoSchema
from regie.core.rest.serializers import ModelSerializer
from regie.core.rest.viewsets import PolicyModelViewSet, PolicyReadOnlyViewSet
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


# --- read-only endpoints -------------------------------------------------------------------


# --- the software catalogue ------------------------------------------------------------------


def visible_installations(user: AnyUser | None) -> QuerySet[SoftwareInstallation]:
    visible: QuerySet[SoftwareInstallation] = software_installation_policy.visible(
        user, SoftwareInstallation.objects.all()
    )
    return visible


def _count(queryset: QuerySet[Any], outer: str) -> Coalesce:
    """A correlated ``COUNT(*)`` of ``queryset`` rows whose ``outer`` is the outer row."""
    counted = (
        queryset.filter(**{outer: OuterRef("pk")})
        .order_by()
        .values(outer)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class SoftwareSerializer(ModelSerializer):
    brief_fields = ("id", "name", "publisher")
    version_count = serializers.IntegerField(read_only=True)
    installation_count = serializers.IntegerField(
        read_only=True, help_text="Installations on the assets you may see."
    )

    class Meta(ModelSerializer.Meta):
        model = Software
        fields: tuple[str, ...] = ("id", "name", "publisher", "version_count", "installation_count")


class SoftwareVersionSerializer(ModelSerializer):
    brief_fields = ("id", "version", "architecture")
    installation_count = serializers.SerializerMethodField(
        help_text="Installations on the assets you may see."
    )
    assets = serializers.SerializerMethodField(help_text="The assets you may see that run it.")

    class Meta(ModelSerializer.Meta):
        model = SoftwareVersion
        fields = ("id", "version", "architecture", "installation_count", "assets")

    def get_installation_count(self, version: SoftwareVersion) -> int:
        return len(version.visible_installations)  # type: ignore[attr-defined]  # Prefetch to_attr

    @extend_schema_field(AssetSerializer.Brief(many=True))
    def get_assets(self, version: SoftwareVersion) -> list[dict[str, Any]]:
        installations = version.visible_installations  # type: ignore[attr-defined]  # Prefetch to_attr
        return [dict(AssetSerializer.Brief(i.asset).data) for i in installations]


class SoftwareDetailSerializer(SoftwareSerializer):
    """A program with its versions and, for each, the machines running it."""

    versions = SoftwareVersionSerializer(many=True, read_only=True, source="shown_versions")

    class Meta(SoftwareSerializer.Meta):
        fields: tuple[str, ...] = (*SoftwareSerializer.Meta.fields, "versions")


class SoftwareInstallationSerializer(ModelSerializer):
    """One program installed on an asset: which software, which version, since when."""

    version_brief = SoftwareVersionSerializer.Brief(source="version", read_only=True)
    software = serializers.IntegerField(source="version.software_id", read_only=True)
    software_brief = SoftwareSerializer.Brief(source="version.software", read_only=True)

    class Meta(ModelSerializer.Meta):
        model = SoftwareInstallation
        fields = (
            "id",
            "software",
            "software_brief",
            "version",
            "version_brief",
            "install_date",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


VERSION_PARAMETER = OpenApiParameter(
    "version",
    OpenApiTypes.STR,
    description="Only this version (exact text, e.g. 128.0.3).",
)


@extend_schema_view(retrieve=extend_schema(parameters=[VERSION_PARAMETER]))
class SoftwareViewSet(PolicyReadOnlyViewSet):
    """The software catalogue; counts and machines cover only the assets you may see."""

    policy = software_policy
    queryset = Software.objects.all()
    serializer_class = SoftwareSerializer
    filterset_class = SoftwareFilterSet

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return SoftwareDetailSerializer if self.action == "retrieve" else SoftwareSerializer

    def get_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        installations = visible_installations(user)
        queryset = self.policy.visible(user, Software.objects.all()).annotate(
            version_count=_count(SoftwareVersion.objects.all(), "software"),
            installation_count=_count(installations, "version__software"),
        )
        if self.action != "retrieve":
            return queryset  # type: ignore[no-any-return]  # Policy.visible is typed Any
        versions = SoftwareVersion.objects.prefetch_related(
            Prefetch(
                "installations",
                queryset=installations.select_related("asset").order_by("asset__name", "pk"),
                to_attr="visible_installations",
            )
        )
        wanted = self.request.query_params.get("version")
        if wanted is not None:
            versions = versions.filter(version=wanted.strip())
        return queryset.prefetch_related(  # type: ignore[no-any-return]  # Policy.visible is typed Any
            Prefetch("versions", queryset=versions, to_attr="shown_versions")
        )

    def get_object(self) -> Any:
        # get_queryset() is the policy's visible rows, annotated: unknown or hidden is 404.
        pk = self.kwargs[self.lookup_field]
        try:
            return self.get_queryset().get(pk=pk)
        except (Software.DoesNotExist, ValueError, TypeError):
            raise Http404(f"No software {pk!r}") from None


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("asset_pk", OpenApiTypes.INT, OpenApiParameter.PATH)]
    )
)
class AssetSoftwareViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Any]):
    """The software installed on one asset; 404 when the asset is not visible to you."""

    policy = software_installation_policy
    queryset = SoftwareInstallation.objects.select_related("version__software")
    serializer_class = SoftwareInstallationSerializer
    filterset_class = SoftwareInstallationFilterSet
    permission_classes = [PolicyPermission]
    schema = AutoSchema()

    def get_queryset(self) -> QuerySet[SoftwareInstallation]:
        asset = asset_policy.get_for_user(self.request.user, self.kwargs["asset_pk"])
        installations: QuerySet[SoftwareInstallation] = self.policy.visible(
            self.request.user, self.queryset.filter(asset=asset)
        )
        return installations.order_by(collated("version__software__name"), "version__version", "pk")


routes = [
    ("asset-types", AssetTypeViewSet),
    ("manufacturers", ManufacturerViewSet),
    ("asset-models", AssetModelViewSet),
    ("assets", AssetViewSet),
    ("suppliers", SupplierViewSet),
    ("contracts", ContractViewSet),
    ("software", SoftwareViewSet),
    (r"assets/(?P<asset_pk>[^/.]+)/software", AssetSoftwareViewSet),
]
