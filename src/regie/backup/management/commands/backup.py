"""``regie backup``: one archive of the running Régie (database, keys, attachments, uploads)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from regie.backup.errors import BackupError
from regie.backup.services import create_backup, read_passphrase


class Command(BaseCommand):
    help = (
        "Write one archive of Régie's data while it runs: a consistent copy of the database, "
        "the keys, attachments and uploads, and a manifest with row counts and SHA-256 digests."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to",
            type=Path,
            help="archive to write (default: REGIE_DATA_DIR/backups/regie-<UTC time>.tar[.enc])",
        )
        parser.add_argument(
            "--passphrase-file",
            help="encrypt the archive with the passphrase in this file "
            "(default: REGIE_BACKUP_PASSPHRASE_FILE, if set)",
        )

    def handle(
        self, *args: Any, to: Path | None, passphrase_file: str | None, **options: Any
    ) -> None:
        from django.conf import settings

        passphrase_file = passphrase_file or settings.BACKUP_PASSPHRASE_FILE
        try:
            passphrase = read_passphrase(passphrase_file) if passphrase_file else None
            result = create_backup(destination=to, passphrase=passphrase)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        counts = result.manifest["database"]["row_counts"]
        self.stdout.write(
            f"Backup written: {result.path} ({result.size} bytes, "
            f"{len(result.manifest['parts'])} parts, {len(counts)} tables, "
            f"{sum(counts.values())} rows{', encrypted' if passphrase else ''})."
        )
