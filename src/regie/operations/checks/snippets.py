"""Ready-to-paste snippets that make common jobs ping their check."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.core.http import absolute_url
from regie.operations.checks.models import Check, ScheduleKind

SNIPPETS = (
    ("cron", _("cron and curl (Linux)")),
    ("restic", _("restic backup (wrapper script)")),
    ("borg", _("BorgBackup (wrapper script)")),
    ("veeam", _("Veeam (post-job PowerShell script)")),
    ("windows", _("Windows Task Scheduler (PowerShell)")),
    ("synology", _("Synology NAS (scheduled task)")),
)


@dataclass(frozen=True)
class Snippet:
    key: str
    title: str
    code: str


def ping_url(check: Check, request: HttpRequest | None = None) -> str:
    """The absolute ping URL: ``REGIE_PUBLIC_URL`` if set, else the request's host."""
    return absolute_url(reverse("ping", args=[check.ping_uuid]), request)


def cron_fields(check: Check) -> str:
    """The five crontab fields that run the job on the check's own schedule.

    A cron check gives its expression; a period gives the matching step, anchored on the
    local time of the last reported run (22:00 until the job has reported once).
    """
    if check.schedule_kind == ScheduleKind.CRON:
        return check.cron
    minutes = check.period_minutes or 1440
    last = timezone.localtime(check.last_ping_at) if check.last_ping_at else None
    hour, minute = (last.hour, last.minute) if last else (22, 0)
    if minutes < 60:
        return f"*/{minutes} * * * *"
    if minutes < 1440 and minutes % 60 == 0:
        return f"{minute} */{minutes // 60} * * *"
    if minutes % 1440 == 0:
        days = minutes // 1440
        return f"{minute} {hour} {'*' if days == 1 else f'*/{days}'} * *"
    return f"{minute} * * * *"


def snippets_for(check: Check, url: str) -> list[Snippet]:
    context = {
        "check": check,
        "ping_url": url,
        "cron": cron_fields(check),
        "schedule": check.schedule_display(),
        "time_zone": check.time_zone
        if check.schedule_kind == ScheduleKind.CRON
        else timezone.get_current_timezone_name(),
    }
    return [
        Snippet(key, str(title), render_to_string(f"checks/snippets/{key}.txt", context).strip())
        for key, title in SNIPPETS
    ]
