"""How much of the fleet the agents cover: how many computers report their inventory, and
since when. Pages that sum up the fleet (home, continuity) show it, so that "no problem found"
is never read where the truth is "nothing reported"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from regie.assets.models import AssetKind, AssetStatus
from regie.assets.permissions import asset_policy
from regie.core.permissions import AnyUser

COMPUTER_KINDS = (AssetKind.DESKTOP, AssetKind.LAPTOP, AssetKind.SERVER, AssetKind.VIRTUAL_MACHINE)
OUT_OF_USE = (AssetStatus.RETIRED, AssetStatus.LOST)
RECENT_DAYS = 7


@dataclass(frozen=True)
class Coverage:
    computers: int  # computers in the fleet (or anything an agent reports), out-of-use aside
    reporting: int  # those whose agent sent at least one inventory
    recent: int  # those that reported within the last RECENT_DAYS days
    oldest_report_at: dt.datetime | None  # the stalest latest report among them
    newest_report_at: dt.datetime | None  # the most recent report

    @property
    def silent(self) -> int:
        return self.computers - self.reporting

    @property
    def unknown(self) -> bool:
        """Nothing reports: every inventory-based figure is unknown, not zero."""
        return self.reporting == 0

    @property
    def reporting_percent(self) -> int:
        return round(100 * self.reporting / self.computers) if self.computers else 0


def fleet_coverage(user: AnyUser, *, now: dt.datetime | None = None) -> Coverage:
    """The coverage of the computers ``user`` may see (their Policy), in one query."""
    now = now or timezone.now()
    reported = Q(inventory__last_inventory_at__isnull=False)
    computers = asset_policy.visible(user).exclude(status__in=OUT_OF_USE)
    computers = computers.filter(Q(asset_type__kind__in=COMPUTER_KINDS) | reported)
    totals = computers.order_by().aggregate(
        computers=Count("pk"),
        reporting=Count("pk", filter=reported),
        recent=Count(
            "pk",
            filter=Q(inventory__last_inventory_at__gte=now - dt.timedelta(days=RECENT_DAYS)),
        ),
        oldest=Min("inventory__last_inventory_at"),
        newest=Max("inventory__last_inventory_at"),
    )
    return Coverage(
        computers=totals["computers"],
        reporting=totals["reporting"],
        recent=totals["recent"],
        oldest_report_at=totals["oldest"],
        newest_report_at=totals["newest"],
    )
