"""Which equipment is lendable, and which asset types are headsets, webcams and routers.

Laptops, phones and tablets are lendable by their kind; headsets, webcams and 4G routers are
peripherals that only their type's name tells apart, so those names are settings.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet

from regie.assets.models import Asset, AssetKind, AssetStatus

LENDABLE_KINDS = (AssetKind.LAPTOP, AssetKind.MOBILE_PHONE, AssetKind.TABLET)
POOL_STATUSES = (AssetStatus.STOCK, AssetStatus.ON_LOAN)


def _type_names(names: list[str], prefix: str = "asset_type__") -> Q:
    query = Q(pk__in=[])
    for name in names:
        query |= Q(**{f"{prefix}name__iexact": name})
    return query


def headset_types(prefix: str = "asset_type__") -> Q:
    return _type_names(settings.TELEWORK_HEADSET_TYPES, prefix)


def webcam_types(prefix: str = "asset_type__") -> Q:
    return _type_names(settings.TELEWORK_WEBCAM_TYPES, prefix)


def lendable_condition() -> Q:
    """Assets of a lendable kind or of a lendable type (headsets, webcams, routers…)."""
    names = [
        *settings.TELEWORK_HEADSET_TYPES,
        *settings.TELEWORK_WEBCAM_TYPES,
        *settings.TELEWORK_LENDABLE_TYPES,
    ]
    return Q(asset_type__kind__in=LENDABLE_KINDS) | _type_names(names)


def lendable_assets() -> QuerySet[Asset]:
    """The pool: lendable equipment in stock or on loan (not in service, repair or retired)."""
    return (
        Asset.objects.filter(lendable_condition(), status__in=POOL_STATUSES)
        .select_related("asset_type", "site")
        .order_by("asset_type__name", "inventory_number")
    )


def is_lendable(asset: Asset) -> bool:
    return lendable_assets().filter(pk=asset.pk).exists()
