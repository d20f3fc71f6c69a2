"""The demo's checks: the sites' nightly backups and the servers' updates, 30 days of runs.

Older runs are inserted in bulk; the last two runs of each check go through
``checks.services.record_ping`` and the final ``evaluate_checks``, so each check's status,
deadlines and flips are the ones the application computes. Most checks are fine; a few
backups failed or are late last night, and one has been silent since last week.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

from regie.assets.models import Asset, AssetStatus
from regie.directory.models import Site, SiteKind
from regie.operations.checks.models import (
    Check,
    CheckKind,
    Ping,
    PingKind,
    ScheduleKind,
)
from regie.operations.checks.services import PingRequest, evaluate_checks, record_ping

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
DAYS = 30
BACKUP_HOUR = 22
UPDATE_HOUR = 3
MAJOR_SITES = (SiteKind.HEAD_OFFICE, SiteKind.FRANCE_SERVICES, SiteKind.TECHNICAL)


def _ping(kind: str, body: str = "", size: int | None = None) -> PingRequest:
    return PingRequest(
        kind=kind,
        exit_status=1 if kind == PingKind.FAIL else 0,
        body=body,
        body_truncated=False,
        size=size,
        remote_addr="10.79.0.30",
        method="POST",
        user_agent="curl/7.88.1",
    )


def build_checks(*, rng: random.Random, now: dt.datetime) -> dict[str, int]:
    """Create the checks and their runs; return the count of checks per status."""
    checks = _create_checks()
    if not checks:
        return {}
    # The story: two failed last night, two late, one silent for a week, the rest fine.
    outcomes = ["ok"] * len(checks)
    backups = [i for i, (check, _h) in enumerate(checks) if check.kind == CheckKind.BACKUP]
    chosen = rng.sample(backups, min(5, len(backups)))
    for index, outcome in zip(chosen, ("failed", "failed", "late", "late", "silent"), strict=False):
        outcomes[index] = outcome
    history: list[Ping] = []
    for (check, hour), outcome in zip(checks, outcomes, strict=True):
        history += _history(rng, check, hour, now, outcome)
    Ping.objects.bulk_create(history, batch_size=1000)
    for (check, hour), outcome in zip(checks, outcomes, strict=True):
        _last_runs(rng, check, hour, now, outcome)
    evaluate_checks(now=now)
    counts: dict[str, int] = {}
    for status in Check.objects.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def _create_checks() -> list[tuple[Check, int]]:
    nas_sites = set(
        Asset.objects.filter(name__icontains="NAS", status=AssetStatus.IN_SERVICE).values_list(
            "site", flat=True
        )
    )
    sites = Site.objects.filter(kind__in=MAJOR_SITES).order_by("pk")
    if nas_sites:
        sites = Site.objects.filter(pk__in=nas_sites).order_by("pk")
    made: list[tuple[Check, int]] = []
    for site in sites:
        check = Check(
            name=f"Sauvegarde NAS — {site.name}",
            kind=CheckKind.BACKUP,
            description="Sauvegarde nocturne du partage de fichiers du site vers le NAS, "
            "puis réplication vers le serveur de sauvegarde du siège.",
            site=site,
            schedule_kind=ScheduleKind.CRON,
            cron=f"0 {BACKUP_HOUR} * * *",
            grace_minutes=240,
            failure_keywords="error, échec",
        )
        check.full_clean()
        check.save()
        made.append((check, BACKUP_HOUR))
    servers = Asset.objects.filter(
        asset_type__prefix__in=["SRV", "VM"], status=AssetStatus.IN_SERVICE
    ).order_by("name")
    for server in servers:
        check = Check(
            name=f"Mises à jour — {server.name}",
            kind=CheckKind.UPDATE,
            description="Installation automatique des mises à jour de sécurité, "
            "chaque nuit ; le script signale sa fin.",
            site=server.site,
            schedule_kind=ScheduleKind.CRON,
            cron=f"0 {UPDATE_HOUR} * * *",
            grace_minutes=180,
        )
        check.full_clean()
        check.save()
        check.assets.add(server)
        made.append((check, UPDATE_HOUR))
    return made


def _run_times(hour: int, now: dt.datetime, days: int) -> list[dt.datetime]:
    """The scheduled starts of the last ``days`` runs before ``now`` (oldest first)."""
    local = now.astimezone(PARIS)
    latest = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if latest > local:
        latest -= dt.timedelta(days=1)
    return [latest - dt.timedelta(days=n) for n in range(days - 1, -1, -1)]


def _history(
    rng: random.Random, check: Check, hour: int, now: dt.datetime, outcome: str
) -> list[Ping]:
    """The runs before the last two, as plain rows (one failure now and then)."""
    runs = _run_times(hour, now, DAYS)[:-2]
    if outcome == "silent":
        runs = runs[:-6]
    rows = []
    for start in runs:
        duration = rng.randint(600, 5400)
        failed = rng.random() < 0.03
        rows.append(
            Ping(
                check_obj=check,
                at=start + dt.timedelta(seconds=duration),
                kind=PingKind.FAIL if failed else PingKind.SUCCESS,
                exit_status=1 if failed else 0,
                duration=duration,
                method="POST",
                remote_addr="10.79.0.30",
                user_agent="curl/7.88.1",
                body="Erreur : volume de destination plein" if failed else "Terminé sans erreur.",
            )
        )
    return rows


def _last_runs(rng: random.Random, check: Check, hour: int, now: dt.datetime, outcome: str) -> None:
    runs = _run_times(hour, now, 2)
    if outcome == "late":
        # Last night's run has not reported; a long grace keeps it late, not down, all day.
        Check.objects.filter(pk=check.pk).update(grace_minutes=24 * 60)
    if outcome == "silent":
        runs = [run - dt.timedelta(days=6) for run in runs]
    for position, start in enumerate(runs):
        last = position == len(runs) - 1
        end = min(start + dt.timedelta(seconds=rng.randint(600, 3600)), now)
        if last and outcome == "late":
            continue
        _record(check, _ping(PingKind.START), start)
        if last and outcome == "failed":
            _record(check, _ping(PingKind.FAIL, "Erreur : NAS injoignable (délai dépassé)"), end)
        else:
            _record(check, _ping(PingKind.SUCCESS, "Terminé sans erreur.", 10**9), end)


def _record(check: Check, ping: PingRequest, at: dt.datetime) -> None:
    record_ping(code=check.ping_uuid, ping=ping, now=at)
