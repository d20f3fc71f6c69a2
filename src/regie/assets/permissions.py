"""Access rules for the fleet (see ``regie.core.permissions``)."""

from __future__ import annotations

from django.db.models import QuerySet

from regie.assets.models import (
    Asset,
    AssetModel,
    AssetType,
    Contract,
    Manufacturer,
    Software,
    SoftwareInstallation,
    Supplier,
)
from regie.core.models import Role, User
from regie.core.permissions import AnyUser, Policy, register
from regie.directory.models import Site


class ReferencePolicy(Policy[AssetType]):
    """Catalogue data that correspondents need to fill in an asset form."""

    def scoped_queryset(self, user: User, queryset: QuerySet) -> QuerySet:  # type: ignore[type-arg]  # shared by several catalogue models
        return queryset if user.role == Role.CORRESPONDENT else queryset.none()


class AssetTypePolicy(ReferencePolicy):
    model = AssetType


class ManufacturerPolicy(ReferencePolicy):
    model = Manufacturer  # type: ignore[assignment]  # same rules, other catalogue model


class AssetModelPolicy(ReferencePolicy):
    model = AssetModel  # type: ignore[assignment]  # same rules, other catalogue model


class SupplierPolicy(Policy[Supplier]):
    model = Supplier


class ContractPolicy(Policy[Contract]):
    model = Contract


class AssetPolicy(Policy[Asset]):
    """Correspondents see and manage the assets of their sites; staff see their own."""

    model = Asset

    def base_queryset(self) -> QuerySet[Asset]:
        return Asset.objects.for_list()

    def scoped_queryset(self, user: User, queryset: QuerySet[Asset]) -> QuerySet[Asset]:
        if user.role == Role.CORRESPONDENT:
            return queryset.filter(site__in=Site.objects.filter(correspondents=user))
        return queryset.filter(assigned_to__user=user)

    def scoped_lists(self, user: User) -> bool:
        return True

    def scoped_can_create(self, user: User) -> bool:
        return user.role == Role.CORRESPONDENT

    def scoped_can_change(self, user: User, obj: Asset) -> bool:
        return (
            user.role == Role.CORRESPONDENT
            and obj.site_id is not None
            and Site.objects.filter(pk=obj.site_id, correspondents=user).exists()
        )


asset_type_policy = register(AssetTypePolicy())
manufacturer_policy = register(ManufacturerPolicy())
asset_model_policy = register(AssetModelPolicy())
supplier_policy = register(SupplierPolicy())
contract_policy = register(ContractPolicy())
asset_policy = register(AssetPolicy())


class SoftwarePolicy(Policy[Software]):
    """The software catalogue: all of it for those who read the whole fleet; for
    correspondents and staff, the software installed on the assets they see. Only the
    inventory writes it."""

    model = Software

    def scoped_queryset(self, user: User, queryset: QuerySet[Software]) -> QuerySet[Software]:
        installed = software_installation_policy.visible(user).values("version__software")
        return queryset.filter(pk__in=installed)

    def scoped_lists(self, user: User) -> bool:
        return software_installation_policy.can_list(user)

    def can_create(self, user: AnyUser | None) -> bool:
        return False

    def can_change(self, user: AnyUser | None, obj: Software) -> bool:
        return False

    def can_delete(self, user: AnyUser | None, obj: Software) -> bool:
        return False


class SoftwareInstallationPolicy(Policy[SoftwareInstallation]):
    """An installation is visible to whoever sees its asset; only inventory writes them."""

    model = SoftwareInstallation

    def visible(
        self, user: AnyUser | None, queryset: QuerySet[SoftwareInstallation] | None = None
    ) -> QuerySet[SoftwareInstallation]:
        queryset = self.base_queryset() if queryset is None else queryset
        return queryset.filter(asset__in=asset_policy.visible(user).values("pk"))

    def can_list(self, user: AnyUser | None) -> bool:
        return asset_policy.can_list(user)

    def can_create(self, user: AnyUser | None) -> bool:
        return False

    def can_change(self, user: AnyUser | None, obj: SoftwareInstallation) -> bool:
        return False

    def can_delete(self, user: AnyUser | None, obj: SoftwareInstallation) -> bool:
        return False


software_policy = register(SoftwarePolicy())
software_installation_policy = register(SoftwareInstallationPolicy())
