"""How many computers report to the inventory, and since when.

TO BE REPLACED by ``regie.inventory.coverage.fleet_coverage`` (being written on another
branch, same fields): this private fallback only exists so the continuity page shows coverage
before that branch is merged. The merger switches :func:`fleet_coverage` to the real one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from regie.assets.models import Asset, AssetKind, AssetStatus
from regie.core.models import User

COMPUTER_KINDS = (AssetKind.DESKTOP, AssetKind.LAPTOP, AssetKind.SERVER, AssetKind.VIRTUAL_MACHINE)


@dataclass(frozen=True)
class Coverage:
    computers: int
    reporting: int  # sent at least one inventory
    recent: int  # within TELEWORK_INVENTORY_MAX_DAYS
    oldest_report_at: datetime.datetime | None
    newest_report_at: datetime.datetime | None


def fleet_coverage(user: User) -> Coverage:
    """MERGER: replace this function by ``from regie.inventory.coverage import
    fleet_coverage`` (the page reads only the five fields above)."""
    recent_since = timezone.now() - datetime.timedelta(days=settings.TELEWORK_INVENTORY_MAX_DAYS)
    row = (
        Asset.objects.filter(asset_type__kind__in=COMPUTER_KINDS)
        .exclude(status__in=(AssetStatus.RETIRED, AssetStatus.LOST))
        .aggregate(
            computers=Count("pk"),
            reporting=Count("pk", filter=Q(inventory__last_inventory_at__isnull=False)),
            recent=Count("pk", filter=Q(inventory__last_inventory_at__gte=recent_since)),
            oldest=Min("inventory__last_inventory_at"),
            newest=Max("inventory__last_inventory_at"),
        )
    )
    return Coverage(row["computers"], row["reporting"], row["recent"], row["oldest"], row["newest"])
