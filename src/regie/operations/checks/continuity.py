"""The essential jobs' section of the continuity page: did last night's backups and updates
run, site by site, and which machines have had no update for a long time.

A site with no check of a kind is *unknown*, never fine: nothing tells that its backup ran.
A check never heard from, or paused, is unknown too. A machine that never sent an inventory,
or whose inventory gives no date of change, is unknown; the others are listed when their last
known change (the newest installation date among their software — Windows lists its updates
there — or the system's installation) is older than ``CONTINUITY_NO_UPDATE_DAYS``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from regie.assets.models import Asset, AssetKind, AssetStatus
from regie.core.continuity import (
    Cell,
    ContinuitySection,
    Figure,
    SectionResult,
    Table,
    register_section,
)
from regie.core.formatting import format_date, format_datetime
from regie.core.models import User
from regie.directory.models import Site
from regie.operations.checks.models import Check, CheckKind, CheckStatus

COMPUTER_KINDS = (AssetKind.DESKTOP, AssetKind.LAPTOP, AssetKind.SERVER, AssetKind.VIRTUAL_MACHINE)
OUT_OF_USE = (AssetStatus.RETIRED, AssetStatus.LOST)

# A site's state for one kind of job, worst first.
FAILED, LATE, UNKNOWN, RAN = "failed", "late", "unknown", "ran"
STATES = (FAILED, LATE, UNKNOWN, RAN)
TONES = {FAILED: "danger", LATE: "warning", UNKNOWN: "unknown", RAN: "ok"}


def state_label(state: str) -> str:
    return {
        FAILED: _("Failed"),
        LATE: _("Late"),
        UNKNOWN: _("Unknown"),
        RAN: _("Ran"),
    }[state]


def _check_state(check: Check) -> str:
    if check.status == CheckStatus.DOWN:
        return FAILED
    if check.status == CheckStatus.LATE:
        return LATE
    if check.status == CheckStatus.UP:
        return RAN
    return UNKNOWN  # new (never heard from) or paused


@dataclass
class SiteJobs:
    """One site's backups or updates: its worst state and the last run reported."""

    state: str = UNKNOWN
    last_run: datetime.datetime | None = None
    checks: int = 0

    def add(self, check: Check) -> None:
        state = _check_state(check)
        if self.checks == 0 or STATES.index(state) < STATES.index(self.state):
            self.state = state
        self.checks += 1
        if check.last_ping_at and (self.last_run is None or check.last_ping_at > self.last_run):
            self.last_run = check.last_ping_at


def jobs_per_site() -> tuple[list[Site], dict[tuple[int | None, str], SiteJobs]]:
    """Every site, and each (site, kind)'s jobs — absent when the site has no such check."""
    sites = list(Site.objects.order_by("name"))
    jobs: dict[tuple[int | None, str], SiteJobs] = defaultdict(SiteJobs)
    checks = Check.objects.filter(kind__in=(CheckKind.BACKUP, CheckKind.UPDATE)).only(
        "site_id", "kind", "status", "last_ping_at"
    )
    for check in checks:
        jobs[(check.site_id, check.kind)].add(check)
    return sites, dict(jobs)


def _job_cell(jobs: SiteJobs | None) -> Cell:
    if jobs is None:
        return Cell(_("Unknown (no check)"), "unknown")
    text = state_label(jobs.state)
    if jobs.last_run is not None:
        text = f"{text} — {format_datetime(jobs.last_run, short=True)}"
    return Cell(text, TONES[jobs.state])


def _state(jobs: SiteJobs | None) -> str:
    return UNKNOWN if jobs is None else jobs.state


@dataclass(frozen=True)
class Machine:
    name: str
    site: str
    last_report: datetime.datetime | None
    last_update: datetime.date | None

    @property
    def unknown(self) -> bool:
        return self.last_report is None or self.last_update is None


def machines() -> list[Machine]:
    """Every computer in use with its last report and its last known change (one query)."""
    rows = (
        Asset.objects.filter(asset_type__kind__in=COMPUTER_KINDS)
        .exclude(status__in=OUT_OF_USE)
        .annotate(last_software=Max("software_installations__install_date"))
        .values_list(
            "name",
            "site__name",
            "inventory__last_inventory_at",
            "operating_system__install_date",
            "last_software",
        )
        .order_by("name", "pk")
    )
    result = []
    for name, site, reported, os_installed, last_software in rows:
        known = [
            day
            for day in (
                last_software,
                timezone.localdate(os_installed) if os_installed else None,
            )
            if day is not None
        ]
        result.append(Machine(name, site or "", reported, max(known) if known else None))
    return result


def _machine_rows(found: Iterable[Machine], limit: int | None, today: datetime.date) -> list[Any]:
    rows: list[Any] = []
    for machine in found:
        if limit is not None and len(rows) >= limit:
            break
        reported: Cell | str
        update: Cell | str
        if machine.last_report is None:
            reported = Cell(_("Never reported"), "unknown")
        else:
            reported = format_date(machine.last_report, short=True)
        if machine.last_update is None:
            update = Cell(_("Unknown"), "unknown")
            age: Any = "—"
        else:
            update = format_date(machine.last_update, short=True)
            age = (today - machine.last_update).days
        rows.append((machine.name, machine.site or "—", reported, update, age))
    return rows


def summary(user: User, context: dict[str, Any]) -> SectionResult:
    sites, jobs = jobs_per_site()
    limit = context.get("limit")
    counts = {kind: dict.fromkeys(STATES, 0) for kind in (CheckKind.BACKUP, CheckKind.UPDATE)}
    site_rows = []
    for site in sites:
        backup = jobs.get((site.pk, CheckKind.BACKUP))
        update = jobs.get((site.pk, CheckKind.UPDATE))
        counts[CheckKind.BACKUP][_state(backup)] += 1
        counts[CheckKind.UPDATE][_state(update)] += 1
        rank = min(STATES.index(_state(backup)), STATES.index(_state(update)))
        site_rows.append((rank, site.name, backup, update))
    site_rows.sort(key=lambda row: (row[0], row[1].casefold()))
    shown = site_rows if limit is None else site_rows[:limit]
    shown_sites = [
        (name, _job_cell(backup), _job_cell(update)) for _r, name, backup, update in shown
    ]
    today = timezone.localdate(context["now"])
    days = settings.CONTINUITY_NO_UPDATE_DAYS
    fleet = machines()
    stale = sorted(
        (
            m
            for m in fleet
            if not m.unknown and m.last_update and (today - m.last_update).days > days
        ),
        key=lambda m: (m.last_update, m.name),
    )
    unknown = [m for m in fleet if m.unknown]
    backups, updates = counts[CheckKind.BACKUP], counts[CheckKind.UPDATE]
    return SectionResult(
        figures=[
            Figure(
                ngettext_lazy("site whose backup ran", "sites whose backup ran", "n"),
                backups[RAN],
                "ok",
            ),
            Figure(
                ngettext_lazy(
                    "site whose backup failed or is late",
                    "sites whose backup failed or is late",
                    "n",
                ),
                backups[FAILED] + backups[LATE],
                "danger" if backups[FAILED] + backups[LATE] else "ok",
                headline=True,
            ),
            Figure(
                ngettext_lazy("site with no known backup", "sites with no known backup", "n"),
                backups[UNKNOWN],
                "unknown",
                headline=True,
            ),
            Figure(
                ngettext_lazy(
                    "site whose updates failed or are late",
                    "sites whose updates failed or are late",
                    "n",
                ),
                updates[FAILED] + updates[LATE],
                "danger" if updates[FAILED] + updates[LATE] else "ok",
            ),
            Figure(
                ngettext_lazy(
                    "site with no known update job", "sites with no known update job", "n"
                ),
                updates[UNKNOWN],
                "unknown",
            ),
            Figure(
                ngettext(
                    "machine with no update for %(days)d days",
                    "machines with no update for %(days)d days",
                    len(stale),
                )
                % {"days": days},
                len(stale),
                # Nothing late among what is known is not "fine" while much is unknown.
                "warning" if stale else ("unknown" if unknown else "ok"),
                headline=True,
            ),
            Figure(
                ngettext_lazy(
                    "machine whose updates are unknown", "machines whose updates are unknown", "n"
                ),
                len(unknown),
                "unknown",
            ),
        ],
        tables=[
            Table(
                "sites",
                _("Last night's backups and updates per site"),
                (_("Site"), _("Backups"), _("Updates")),
                shown_sites,
                _("No site."),
                len(site_rows),
            ),
            Table(
                "stale",
                _("Machines with no update for %(days)d days") % {"days": days},
                (_("Machine"), _("Site"), _("Last inventory"), _("Last update"), _("Days")),
                _machine_rows(stale, limit, today),
                _("No machine known to be behind on its updates."),
                len(stale),
            ),
            Table(
                "unknown",
                _("Machines whose updates are unknown"),
                (_("Machine"), _("Site"), _("Last inventory"), _("Last update"), _("Days")),
                _machine_rows(unknown, limit, today),
                _("Every machine reports its updates."),
                len(unknown),
            ),
        ],
        notes=[
            _(
                "A site without a check is shown as unknown, never as fine. Late: the job "
                "has not reported in time; failed: it reported a failure or stayed silent."
            )
        ],
    )


def register() -> None:
    register_section(
        ContinuitySection(
            key="essential",
            label=gettext_lazy("Essential jobs"),
            order=30,
            summary=summary,
            cache_seconds=60,  # ten thousand machines; a minute old is fresh enough
        )
    )
