"""``regie restore FILE``: put an archive of ``regie backup`` back, into an empty Régie."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from regie.backup.errors import BackupError
from regie.backup.services import read_passphrase, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `regie backup` into an empty data directory (SQLite) or "
        "an empty database (PostgreSQL). The whole archive is checked before anything changes."
    )
    # The checks would open the database, which must stay untouched until the archive is known
    # to be sound.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="archive written by regie backup")
        parser.add_argument(
            "--passphrase-file", help="file holding the passphrase of an encrypted archive"
        )

    def handle(
        self, *args: Any, archive: Path, passphrase_file: str | None, **options: Any
    ) -> None:
        try:
            passphrase = read_passphrase(passphrase_file) if passphrase_file else None
            manifest = restore_backup(archive=archive, passphrase=passphrase)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        counts = manifest["database"]["row_counts"]
        self.stdout.write(
            f"Restored {archive} of {manifest['created_at']} (Régie {manifest['regie_version']}):"
            f" {len(counts)} tables, {sum(counts.values())} rows, "
            f"{len(manifest['parts'])} parts, every digest and row count checked."
        )
