"""Ready-to-paste snippets that make common jobs ping their check."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regie.core.http import absolute_url
from regie.operations.checks.models import Check

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


def snippets_for(check: Check, url: str) -> list[Snippet]:
    context = {"check": check, "ping_url": url}
    return [
        Snippet(key, str(title), render_to_string(f"checks/snippets/{key}.txt", context).strip())
        for key, title in SNIPPETS
    ]
