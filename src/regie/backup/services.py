"""Backing up and restoring Régie's own data (database, keys, attachments, uploads)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from regie.backup import databases
from regie.backup.archive import (
    FORMAT_VERSION,
    KIND,
    MANIFEST,
    MANIFEST_DIGEST,
    ArchiveWriter,
    manifest_bytes,
    open_for_writing,
    read_into,
)
from regie.backup.errors import BackupError
from regie.core.models import ChangeSource
from regie.operations.checks.models import Check, CheckKind, PingKind, ScheduleKind
from regie.operations.checks.services import PingRequest, record_ping, save_check

logger = logging.getLogger(__name__)

# The agents' generated credentials go with the keys: a restored Régie must accept the agents
# already configured with them.
KEY_FILES = ("secret_key", "field_encryption_key", "agent_credentials")
ARCHIVE_PATTERNS = ("regie-*.tar", "regie-*.tar.enc")
_STALE_PARTIAL = timedelta(days=1)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    manifest: dict[str, Any]


def backup_dir() -> Path:
    return Path(settings.DATA_DIR) / "backups"


def regie_version() -> str:
    try:
        return version("regie")
    except PackageNotFoundError:
        return "unknown"


def default_destination(*, encrypted: bool, now: datetime | None = None) -> Path:
    stamp = (now or timezone.now()).astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    return backup_dir() / f"regie-{stamp}.tar{'.enc' if encrypted else ''}"


def read_passphrase(path: str | Path) -> str:
    try:
        passphrase = Path(path).read_text(encoding="utf-8").strip("\r\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise BackupError(f"Cannot read the passphrase file {path}: {exc}") from None
    if not passphrase:
        raise BackupError(f"The passphrase file {path} is empty.")
    return passphrase


def _tree(root: Path) -> list[tuple[str, Path]]:
    """(relative POSIX name, path) of every regular file under ``root``, sorted."""
    if not root.is_dir():
        return []
    files = []
    for directory, _directories, names in os.walk(root):
        for name in names:
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                files.append((path.relative_to(root).as_posix(), path))
    return sorted(files)


def create_backup(
    *, destination: Path | None = None, passphrase: str | None = None
) -> BackupResult:
    """Write one archive of the running Régie to ``destination`` (default: the backups
    folder); 0600, written under a temporary name and renamed once complete.

    The database is copied first: an attachment is stored before the row that names it
    commits, so every attachment the copy refers to is complete when the files are read.
    """
    destination = destination or default_destination(encrypted=bool(passphrase))
    destination = destination.resolve()
    destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if destination.exists():
        raise BackupError(f"{destination} already exists.")
    data_dir = Path(settings.DATA_DIR)
    partial = destination.with_name(destination.name + ".partial")
    work = Path(tempfile.mkdtemp(prefix=".regie-backup-", dir=destination.parent))
    try:
        database_file = work / "database"
        started = timezone.now()
        counts = databases.snapshot(database_file)
        descriptor = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY | os.O_CLOEXEC, 0o600)
        with os.fdopen(descriptor, "wb") as output:
            tar, encrypting = open_for_writing(output, passphrase)
            writer = ArchiveWriter(tar)
            with tar:
                writer.add_file(databases.part_name(), database_file)
                database_file.unlink()
                for key in KEY_FILES:
                    writer.add_file(f"keys/{key}", data_dir / key)
                for name, path in _tree(Path(settings.HELPDESK_ATTACHMENT_DIR)):
                    writer.add_file(f"attachments/{name}", path)
                for name, path in _tree(Path(settings.MEDIA_ROOT)):
                    writer.add_file(f"uploads/{name}", path)
                manifest = {
                    "kind": KIND,
                    "format_version": FORMAT_VERSION,
                    "regie_version": regie_version(),
                    "created_at": started.isoformat(),
                    "database": {"vendor": databases.vendor(), "row_counts": counts},
                    "encrypted": bool(passphrase),
                    "parts": [vars(part) for part in writer.parts],
                }
                raw = manifest_bytes(manifest)
                writer.add_bytes(MANIFEST, raw)
                writer.add_bytes(MANIFEST_DIGEST, hashlib.sha256(raw).hexdigest().encode() + b"\n")
            if encrypting is not None:
                encrypting.finish()
            output.flush()
            os.fsync(output.fileno())
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    return BackupResult(path=destination, size=destination.stat().st_size, manifest=manifest)


# --- Restore ---------------------------------------------------------------------------------


def _files_target_state() -> str | None:
    for folder in (Path(settings.HELPDESK_ATTACHMENT_DIR), Path(settings.MEDIA_ROOT)):
        if _tree(folder):
            return f"{folder} is not empty"
    return None


def _target_state() -> str | None:
    if databases.vendor() == "sqlite":
        reason = databases.sqlite_target_state(databases.sqlite_path())
    else:
        reason = databases.postgresql_target_state()
    return reason or _files_target_state()


def _refuse_unless_empty() -> None:
    if reason := _target_state():
        where = (
            "a new REGIE_DATA_DIR"
            if databases.vendor() == "sqlite"
            else "a new, empty PostgreSQL database (and a new REGIE_DATA_DIR)"
        )
        raise BackupError(f"Restore refused: {reason}. Restore into {where}.")


def _move_tree(source: Path, target: Path) -> int:
    moved = 0
    for name, path in _tree(source):
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.replace(path, destination)
        moved += 1
    return moved


def restore_backup(*, archive: Path, passphrase: str | None = None) -> dict[str, Any]:
    """Restore ``archive`` into this Régie's empty data directory and database.

    Everything is read and checked (format, every part's SHA-256, and for SQLite the copy's
    integrity and row counts) in a staging folder before anything of the target changes; the
    database is put in place last. Returns the manifest.
    """
    if not archive.is_file():
        raise BackupError(f"{archive} is not a file.")
    connection.close()
    _refuse_unless_empty()
    data_dir = Path(settings.DATA_DIR)
    staging = Path(tempfile.mkdtemp(prefix=".regie-restore-", dir=data_dir))
    try:
        manifest = read_into(archive, staging, passphrase)
        archived_vendor = manifest["database"]["vendor"]
        if archived_vendor != databases.vendor():
            raise BackupError(
                f"The archive holds a {archived_vendor} database; this Régie uses "
                f"{databases.vendor()}: restore it with the same kind of database."
            )
        counts = manifest["database"]["row_counts"]
        staged_database = staging / databases.part_name()
        if archived_vendor == "sqlite":
            databases.check_sqlite_copy(staged_database, counts)
        _refuse_unless_empty()  # nothing started meanwhile
        for key in KEY_FILES:
            if (staging / "keys" / key).exists():
                os.replace(staging / "keys" / key, data_dir / key)
        _move_tree(staging / "attachments", Path(settings.HELPDESK_ATTACHMENT_DIR))
        _move_tree(staging / "uploads", Path(settings.MEDIA_ROOT))
        if archived_vendor == "sqlite":
            target = databases.sqlite_path()
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm"), target):
                leftover.unlink(missing_ok=True)  # empty files, checked above
            os.replace(staged_database, target)
        else:
            databases.restore_postgresql(staged_database)
            databases.compare_counts(databases.postgresql_row_counts(), counts)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


# --- The nightly backup ----------------------------------------------------------------------


def prune_backups(*, keep: int, now: datetime | None = None) -> list[Path]:
    """Delete all but the newest ``keep`` archives of the backups folder (by their
    timestamped names) and day-old unfinished ones; the paths deleted."""
    folder = backup_dir()
    if not folder.is_dir():
        return []
    archives = sorted({path for pattern in ARCHIVE_PATTERNS for path in folder.glob(pattern)})
    removed = archives[: max(len(archives) - keep, 0)]
    limit = (now or timezone.now()).timestamp() - _STALE_PARTIAL.total_seconds()
    removed += [path for path in folder.glob("*.partial") if path.stat().st_mtime < limit]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def _check_code() -> uuid.UUID:
    # Derived from the secret key: the check is found again whatever it is renamed to, and
    # its ping code is no easier to guess than any other.
    digest = hmac.new(settings.SECRET_KEY.encode(), b"regie-backup-check", hashlib.sha256)
    return uuid.UUID(bytes=digest.digest()[:16], version=4)


def backup_check() -> Check:
    """The check the nightly backup reports to, created the first time it is needed."""
    code = _check_code()
    check = Check.objects.filter(ping_uuid=code).first()
    if check is not None:
        return check
    at = settings.BACKUP_TIME
    with translation.override(settings.LANGUAGE_CODE):
        check = Check(
            name=_("Régie backup"),
            kind=CheckKind.BACKUP,
            description=_(
                "Régie's own nightly backup (regie backup) into the data directory's backups "
                "folder. It reports here by itself."
            ),
            schedule_kind=ScheduleKind.CRON,
            cron=f"{at.minute} {at.hour} * * *",
            time_zone=settings.TIME_ZONE,
            grace_minutes=120,
        )
    check.ping_uuid = code
    check.full_clean()
    return save_check(check=check, by=None, source=ChangeSource.SYSTEM)


def _ping(check: Check, kind: str, *, body: str = "", size: int | None = None) -> None:
    request = PingRequest(
        kind=kind,
        exit_status=1 if kind == PingKind.FAIL else None,
        body=body[: settings.PING_BODY_LIMIT],
        body_truncated=len(body) > settings.PING_BODY_LIMIT,
        size=size,
        remote_addr=None,
        method="TASK",
        user_agent="regie backup",
    )
    record_ping(code=check.ping_uuid, ping=request)


def run_scheduled_backup() -> BackupResult | None:
    """The nightly job: back up, keep ``BACKUP_KEEP`` archives, report to the backup check
    (start, then success or failure with the reason). ``None`` when the backup failed."""
    check = backup_check()
    _ping(check, PingKind.START)
    try:
        passphrase_file = settings.BACKUP_PASSPHRASE_FILE
        passphrase = read_passphrase(passphrase_file) if passphrase_file else None
        result = create_backup(passphrase=passphrase)
        removed = prune_backups(keep=settings.BACKUP_KEEP)
    except Exception as exc:  # any failure must reach the check, not only the log
        logger.exception("The nightly backup failed")
        _ping(check, PingKind.FAIL, body=f"{type(exc).__name__}: {exc}")
        return None
    _ping(
        check,
        PingKind.SUCCESS,
        body=f"{result.path.name}: {result.size} bytes; {len(removed)} older archives deleted.",
        size=result.size,
    )
    return result
