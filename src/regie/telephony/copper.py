"""The copper cut-off ("arrêt du cuivre"): which sites still have copper lines, and how close
their commune's closing date is."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from regie.directory.models import Site
from regie.telephony.models import CopperCutoff, Line, LineStatus, Technology


@dataclass
class SiteCopper:
    site: Site
    cutoff: CopperCutoff | None
    lines: list[Line] = field(default_factory=list)
    today: datetime.date = field(default_factory=timezone.localdate)

    @property
    def days_left(self) -> int | None:
        return None if self.cutoff is None else (self.cutoff.cutoff_date - self.today).days

    @property
    def flagged(self) -> bool:
        """Copper lines whose commune closes copper within the warning window (or already)."""
        days = self.days_left
        return days is not None and days <= settings.TELEPHONY_COPPER_WARNING_DAYS

    @property
    def overdue(self) -> bool:
        days = self.days_left
        return days is not None and days < 0

    @property
    def safety_lines(self) -> list[Line]:
        return [line for line in self.lines if line.is_safety]


def copper_lines(lines: QuerySet[Line]) -> QuerySet[Line]:
    return lines.filter(technology=Technology.COPPER).exclude(status=LineStatus.TERMINATED)


def copper_by_site(
    lines: QuerySet[Line], *, today: datetime.date | None = None
) -> list[SiteCopper]:
    """Every site with copper lines among ``lines``, soonest cut-off first."""
    today = today or timezone.localdate()
    by_site: dict[int, SiteCopper] = {}
    rows = (
        copper_lines(lines)
        .filter(site__isnull=False)
        .select_related("site", "site__organisation", "site__organisation__copper_cutoff")
    )
    for line in rows.order_by("number"):
        assert line.site is not None  # noqa: S101  # filtered above
        entry = by_site.get(line.site.pk)
        if entry is None:
            organisation = line.site.organisation
            cutoff = getattr(organisation, "copper_cutoff", None)
            entry = by_site[line.site.pk] = SiteCopper(line.site, cutoff, today=today)
        entry.lines.append(line)
    far = datetime.date.max
    return sorted(
        by_site.values(),
        key=lambda entry: (entry.cutoff.cutoff_date if entry.cutoff else far, entry.site.name),
    )


def site_copper(site: Site, lines: QuerySet[Line]) -> SiteCopper:
    cutoff = CopperCutoff.objects.filter(commune=site.organisation_id).first()
    return SiteCopper(site, cutoff, list(copper_lines(lines.filter(site=site))))
