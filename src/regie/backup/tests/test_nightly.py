"""The nightly backup job: one archive, the oldest pruned, and its own check told."""

from datetime import time

import pytest

from regie.backup.services import backup_check, run_scheduled_backup
from regie.backup.tasks import nightly_backup_task
from regie.core.schedule import periodic_jobs
from regie.operations.checks.models import Check, CheckKind, CheckStatus, FailureReason, PingKind

OLD_ARCHIVES = [f"regie-202501{day:02d}-013000.tar" for day in range(1, 9)]


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.HELPDESK_ATTACHMENT_DIR = tmp_path / "attachments"
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.BACKUP_KEEP = 3
    settings.BACKUP_PASSPHRASE_FILE = ""
    (tmp_path / "backups").mkdir()
    for name in OLD_ARCHIVES:
        (tmp_path / "backups" / name).write_bytes(b"an old archive")
    (tmp_path / "backups" / "notes.txt").write_text("not an archive: kept")
    return tmp_path


def _pings(check):
    return list(check.pings.order_by("id").values_list("kind", "reason", "size"))


def _flips(check):
    return list(check.flips.order_by("id").values_list("from_status", "to_status"))


@pytest.mark.django_db(transaction=True)
def test_the_nightly_backup_keeps_the_newest_archives_and_reports_success(data_dir):
    result = run_scheduled_backup()

    assert result is not None
    kept = sorted(path.name for path in (data_dir / "backups").iterdir())
    assert kept == ["notes.txt", *OLD_ARCHIVES[-2:], result.path.name]
    assert result.path.stat().st_mode & 0o777 == 0o600
    check = Check.objects.get()
    assert check.name == "Sauvegarde de Régie"
    assert check.kind == CheckKind.BACKUP
    assert check.cron == "30 1 * * *"
    assert check.time_zone == "Europe/Paris"
    assert check.status == CheckStatus.UP
    assert _pings(check) == [
        (PingKind.START, FailureReason.NONE, None),
        (PingKind.SUCCESS, FailureReason.NONE, result.size),
    ]
    assert check.pings.order_by("id").last().body == (
        f"{result.path.name}: {result.size} bytes; 6 older archives deleted."
    )
    assert _flips(check) == [(CheckStatus.NEW, CheckStatus.UP)]


@pytest.mark.django_db(transaction=True)
def test_a_failed_nightly_backup_turns_its_check_down_then_a_success_brings_it_back(
    data_dir, settings
):
    settings.BACKUP_PASSPHRASE_FILE = str(data_dir / "missing-passphrase")

    assert run_scheduled_backup() is None

    check = Check.objects.get()
    assert check.status == CheckStatus.DOWN
    assert _pings(check) == [
        (PingKind.START, FailureReason.NONE, None),
        (PingKind.FAIL, FailureReason.EXIT_STATUS, None),
    ]
    assert (
        check.pings.order_by("id")
        .last()
        .body.startswith(
            f"BackupError: Cannot read the passphrase file {data_dir / 'missing-passphrase'}: "
        )
    )
    assert _flips(check) == [(CheckStatus.NEW, CheckStatus.DOWN)]
    assert sorted(path.name for path in (data_dir / "backups").iterdir()) == [
        "notes.txt",
        *OLD_ARCHIVES,
    ]

    # Renamed by someone, the check is still the one the backup reports to.
    Check.objects.filter(pk=check.pk).update(name="Sauvegarde du serveur Régie")
    settings.BACKUP_PASSPHRASE_FILE = ""
    assert nightly_backup_task.call().startswith("regie-")

    check.refresh_from_db()
    assert Check.objects.count() == 1
    assert check.status == CheckStatus.UP
    assert _flips(check) == [
        (CheckStatus.NEW, CheckStatus.DOWN),
        (CheckStatus.DOWN, CheckStatus.UP),
    ]
    assert len(list((data_dir / "backups").glob("regie-*.tar"))) == 3


@pytest.mark.django_db
def test_the_backup_check_code_comes_from_the_secret_key(settings):
    first = backup_check()
    settings.SECRET_KEY = "regie-another-installation"  # noqa: S105  # a test key
    second = backup_check()

    assert first.pk != second.pk
    assert first.ping_uuid != second.ping_uuid
    assert Check.objects.count() == 2


def test_the_nightly_backup_is_a_daily_job_at_the_configured_time():
    (job,) = [job for job in periodic_jobs() if job.name == "backup.nightly"]
    assert job.daily_at == time(1, 30)
    assert job.every is None
    assert job.task is nightly_backup_task
