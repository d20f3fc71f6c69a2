"""`regie directory sync`, the periodic job and its REGIE_DIRECTORY_SYNC_CRON setting."""

from datetime import time, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from regie.core.testing import start_with
from regie.directory.models import (
    DirectorySource,
    DirectorySyncRun,
    OrganisationKind,
    Person,
    SourceKind,
    SyncStatus,
)
from regie.directory.sync import engine
from regie.directory.sync.entries import DirectoryEntry
from regie.directory.tasks import sync_directories_task
from regie.directory.tests.factories import OrganisationFactory
from regie.settings import env_sync_schedule

ENTRY = DirectoryEntry(
    directory_id="5a0e8f4c-2222-4a55-9a3e-1d9f1c2b3a01",
    username="amartin",
    first_name="Alice",
    last_name="Martin",
    department="Finances",
)


@pytest.fixture
def sources(db, monkeypatch):
    OrganisationFactory(name="Mellois", kind=OrganisationKind.INTERCOMMUNALITY)
    # The directory server, replaced by its answer (the readers are tested on real servers).
    monkeypatch.setattr(engine, "fetch_entries", lambda source, **_: iter([ENTRY]))
    enabled = DirectorySource.objects.create(
        name="AD", kind=SourceKind.ACTIVE_DIRECTORY, url="ldap://127.0.0.1", base_dn="DC=x"
    )
    disabled = DirectorySource.objects.create(
        name="Ancien AD",
        kind=SourceKind.ACTIVE_DIRECTORY,
        url="ldap://127.0.0.1",
        base_dn="DC=y",
        enabled=False,
    )
    return enabled, disabled


def test_dry_run_prints_the_changes_and_writes_nothing(sources):
    out = StringIO()

    call_command("directory", "sync", "--dry-run", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "AD (simulation): 1 created, 0 updated, 0 disabled, 0 unchanged, "
        "0 no longer in the directory"
    )
    assert lines[1].startswith(
        "  create           Alice Martin: prénom: — → Alice; nom: — → Martin"
    )
    assert not Person.objects.exists()
    assert DirectorySyncRun.objects.get().dry_run is True


def test_sync_applies_the_enabled_sources_only(sources):
    out = StringIO()

    call_command("directory", "sync", stdout=out)

    assert out.getvalue().startswith("AD (applied): 1 created")
    assert Person.objects.get().directory_source == sources[0]
    assert list(DirectorySyncRun.objects.values_list("source__name", flat=True)) == ["AD"]


def test_a_named_source_is_synced_even_when_disabled(sources):
    call_command("directory", "sync", "--source", "Ancien AD", stdout=StringIO())

    assert Person.objects.get().directory_source == sources[1]


def test_an_unknown_source_is_a_clear_error(sources):
    with pytest.raises(CommandError, match=r"No directory source named 'AAD' \(sources: AD, "):
        call_command("directory", "sync", "--source", "AAD")


def test_a_failing_source_fails_the_command(sources, monkeypatch):
    def unreachable(source, **_):
        raise ConnectionRefusedError("ldap://127.0.0.1: connection refused")

    monkeypatch.setattr(engine, "fetch_entries", unreachable)
    err = StringIO()

    with pytest.raises(CommandError, match=r"1 source\(s\) failed"):
        call_command("directory", "sync", stdout=StringIO(), stderr=err)

    assert "AD: failed (applied): ConnectionRefusedError: ldap://127.0.0.1" in err.getvalue()
    assert DirectorySyncRun.objects.get().status == SyncStatus.FAILED


def test_the_periodic_job_syncs_the_enabled_sources(sources):
    run_ids = sync_directories_task.call()

    assert list(DirectorySyncRun.objects.values_list("pk", flat=True)) == run_ids
    assert Person.objects.get().first_name == "Alice"


def test_the_periodic_job_is_registered_hourly_by_default():
    from regie.core.schedule import periodic_jobs

    job = next(job for job in periodic_jobs() if job.name == "directory.sync")
    assert job.every == timedelta(hours=1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0 6 * * *", {"daily_at": time(6)}),
        ("30  5 * * *", {"daily_at": time(5, 30)}),
        ("0 * * * *", {"every": timedelta(hours=1)}),
        ("*/15 * * * *", {"every": timedelta(minutes=15)}),
        ("0 */4 * * *", {"every": timedelta(hours=4)}),
        ("", None),
    ],
)
def test_the_cron_setting(monkeypatch, value, expected):
    monkeypatch.setenv("REGIE_DIRECTORY_SYNC_CRON", value)
    assert env_sync_schedule("REGIE_DIRECTORY_SYNC_CRON", "0 * * * *") == expected


@pytest.mark.parametrize(
    "value", ["0 6 * * 1", "*/7 * * * *", "15 */2 * * *", "61 6 * * *", "tous"]
)
def test_a_cron_line_the_scheduler_cannot_hold_is_refused(monkeypatch, value):
    monkeypatch.setenv("REGIE_DIRECTORY_SYNC_CRON", value)
    with pytest.raises(ImproperlyConfigured, match="REGIE_DIRECTORY_SYNC_CRON must be a cron line"):
        env_sync_schedule("REGIE_DIRECTORY_SYNC_CRON", "0 * * * *")


def test_a_bad_cron_line_stops_start_up(tmp_path):
    result = start_with(tmp_path, REGIE_DIRECTORY_SYNC_CRON="every hour")
    assert result.returncode != 0
    assert "REGIE_DIRECTORY_SYNC_CRON must be a cron line" in result.stderr
