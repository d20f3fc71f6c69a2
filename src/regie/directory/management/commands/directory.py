"""``regie directory sync [--dry-run] [--source NAME]``: sync people and accounts from the
directory sources now (the periodic job does the same for the enabled ones)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from regie.directory.models import DirectorySource, SyncStatus
from regie.directory.sync.engine import sync


class Command(BaseCommand):
    help = "Directory sources: `sync` reads them and updates people, departments and accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        sync_parser = commands.add_parser(
            "sync", help="sync the enabled sources (or the one named) now"
        )
        sync_parser.add_argument(
            "--dry-run", action="store_true", help="list what would change, write nothing"
        )
        sync_parser.add_argument(
            "--source", default="", help="the source's name (even a disabled one)"
        )

    def handle(self, *args: Any, action: str, dry_run: bool, source: str, **options: Any) -> None:
        if source:
            sources = list(DirectorySource.objects.filter(name=source))
            if not sources:
                names = ", ".join(DirectorySource.objects.values_list("name", flat=True))
                raise CommandError(
                    f"No directory source named {source!r} (sources: {names or 'none'})."
                )
        else:
            sources = list(DirectorySource.objects.filter(enabled=True))
            if not sources:
                raise CommandError("No enabled directory source: add one in Administration.")
        failed = 0
        for one in sources:
            run = sync(one, dry_run=dry_run, by=None)
            mode = "simulation" if dry_run else "applied"
            if run.status == SyncStatus.FAILED:
                failed += 1
                self.stderr.write(f"{one.name}: failed ({mode}): {run.error}")
                continue
            self.stdout.write(
                f"{one.name} ({mode}): {run.created} created, {run.updated} updated, "
                f"{run.disabled} disabled, {run.unchanged} unchanged, "
                f"{run.not_in_directory} no longer in the directory"
            )
            if dry_run:
                for change in run.changes:
                    fields = "; ".join(
                        f"{field['label']}: {field['old'] or '—'} → {field['new'] or '—'}"
                        for field in change["fields"]
                    )
                    self.stdout.write(f"  {change['action']:<16} {change['person']}: {fields}")
            for warning in run.warnings:
                self.stdout.write(f"  ! {warning}")
        if failed:
            raise CommandError(f"{failed} source(s) failed: nothing was written for them.")
