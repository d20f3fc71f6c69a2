"""The worker applies a report together with the reports queued behind it: their tasks are
taken off the queue, each report lands or fails on its own, nothing is left without a task."""

import hashlib
import json
import zlib

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from regie.assets.models import Asset, AssetOperatingSystem, SoftwareInstallation, SoftwareVersion
from regie.inventory import applying, pipeline, software
from regie.inventory.models import Agent, AgentProtocol, ReceivedReport, ReportStatus
from regie.inventory.pipeline import process_waiting
from regie.inventory.tasks import process_received_report
from regie.inventory.tests.fixtures import capture

pytestmark = pytest.mark.django_db(transaction=True)


def queued_report(number: int, *, os_version: str = "12", body: bytes | None = None):
    """A stored GLPI Agent inventory of machine ``number`` with its task queued."""
    if body is None:
        document = json.loads(capture("glpiagent-inventory-full.json"))
        document["deviceid"] = f"pc-{number}"
        document["content"]["hardware"]["name"] = f"PC-{number}"
        document["content"]["hardware"]["uuid"] = f"4c4c4544-0000-0000-0000-{number:012d}"
        document["content"]["bios"]["ssn"] = f"SERIAL{number}"
        document["content"]["operatingsystem"]["version"] = os_version
        body = json.dumps(document).encode()
    agent, _created = Agent.objects.get_or_create(
        device_id=f"pc-{number}", defaults={"protocol": AgentProtocol.GLPI_JSON}
    )
    report = ReceivedReport.objects.create(
        agent=agent,
        protocol=AgentProtocol.GLPI_JSON,
        body=zlib.compress(body),
        body_sha256=hashlib.sha256(body).hexdigest(),
        body_size=len(body),
    )
    process_received_report.enqueue(report.pk)
    return report


def task_of(report: ReceivedReport) -> DBTaskResult:
    return DBTaskResult.objects.get(args_kwargs__args=[report.pk])


def run_one_task() -> None:
    """What ``regie worker`` does for the first task in the queue."""
    call_command("db_worker", max_tasks=1, no_startup_delay=True, interval=0, verbosity=0)


@pytest.fixture(autouse=True)
def empty_catalogue_cache():
    software.catalogue.forget()
    yield
    software.catalogue.forget()


def test_one_task_applies_the_reports_queued_behind_it_and_finishes_their_tasks(settings):
    settings.INVENTORY_BATCH_REPORTS = 3
    reports = [queued_report(number) for number in range(1, 5)]

    run_one_task()

    assert task_of(reports[0]).return_value == "processed"
    statuses = [ReceivedReport.objects.get(pk=r.pk).status for r in reports]
    # Its own report and the two next in the queue; the fourth waits for its own task.
    assert statuses == [ReportStatus.PROCESSED] * 3 + [ReportStatus.RECEIVED]
    assert sorted(Asset.objects.values_list("name", flat=True)) == ["PC-1", "PC-2", "PC-3"]
    for taken_along in reports[1:3]:
        task = task_of(taken_along)
        assert task.status == TaskResultStatus.SUCCESSFUL
        assert task.return_value == "processed"
        assert task.finished_at is not None
    assert task_of(reports[3]).status == TaskResultStatus.READY
    # Each report has its own worker time, parsing included.
    times = ReceivedReport.objects.filter(pk__in=[r.pk for r in reports[:3]])
    assert all(ms > 0 for ms in times.values_list("processing_ms", flat=True))


def test_the_task_of_a_report_taken_along_finds_it_done(settings):
    settings.INVENTORY_BATCH_REPORTS = 2
    queued_report(1)
    second = queued_report(2)
    run_one_task()
    installations = SoftwareInstallation.objects.count()

    # The worker would not start it (it is marked done); run it anyway, as a retry would.
    again = process_waiting(report_id=second.pk)

    assert again.status == ReportStatus.PROCESSED
    assert SoftwareInstallation.objects.count() == installations
    assert Asset.objects.count() == 2


def test_a_batch_of_one_leaves_the_queue_alone(settings):
    settings.INVENTORY_BATCH_REPORTS = 1
    queued_report(1)
    second = queued_report(2)

    run_one_task()

    second.refresh_from_db()
    assert second.status == ReportStatus.RECEIVED
    assert task_of(second).status == TaskResultStatus.READY


def test_reports_of_one_machine_are_applied_in_the_order_they_arrived(settings):
    settings.INVENTORY_BATCH_REPORTS = 5
    queued_report(1, os_version="11")
    queued_report(1, os_version="12")

    run_one_task()

    assert ReceivedReport.objects.filter(status=ReportStatus.PROCESSED).count() == 2
    assert AssetOperatingSystem.objects.get().version == "12"


def test_an_unreadable_report_fails_alone(settings):
    settings.INVENTORY_BATCH_REPORTS = 3
    queued_report(1)
    broken = queued_report(2, body=b'{"deviceid": "pc-2", "content": ')
    third = queued_report(3)

    run_one_task()

    broken.refresh_from_db()
    assert broken.status == ReportStatus.FAILED
    assert "JSON" in broken.error
    assert task_of(broken).return_value == "failed"
    assert ReceivedReport.objects.get(pk=third.pk).status == ReportStatus.PROCESSED
    assert sorted(Asset.objects.values_list("name", flat=True)) == ["PC-1", "PC-3"]


def test_a_report_that_fails_to_apply_leaves_nothing_and_the_others_land(settings, monkeypatch):
    settings.INVENTORY_BATCH_REPORTS = 3
    reports = [queued_report(number) for number in (1, 2, 3)]
    real_sync = software.sync_software

    def sync_failing_on_pc2(*, asset, wanted):
        result = real_sync(asset=asset, wanted=wanted)  # rows written, then the failure
        if asset.name == "PC-2":
            raise RuntimeError("disk on fire")
        return result

    monkeypatch.setattr(applying, "sync_software", sync_failing_on_pc2)

    run_one_task()

    failed = ReceivedReport.objects.get(pk=reports[1].pk)
    assert failed.status == ReportStatus.FAILED
    assert "disk on fire" in failed.error
    assert not Asset.objects.filter(name="PC-2").exists()  # its savepoint rolled back
    assert sorted(Asset.objects.values_list("name", flat=True)) == ["PC-1", "PC-3"]
    pc3 = Asset.objects.get(name="PC-3")
    assert SoftwareInstallation.objects.filter(asset=pc3).count() > 500


def test_a_commit_that_fails_is_done_again_report_by_report(settings):
    reports = [queued_report(number) for number in (1, 2, 3)]
    settings.INVENTORY_BATCH_REPORTS = 1
    run_one_task()  # PC-1 alone, which fills the catalogue cache
    settings.INVENTORY_BATCH_REPORTS = 3
    # A catalogue version is deleted by hand: the cache still holds its id, so the batch's
    # commit fails on the foreign key, and each report is applied again on its own.
    version = SoftwareVersion.objects.order_by("pk").first()
    SoftwareInstallation.objects.filter(version=version).delete()
    version.delete()

    run_one_task()

    statuses = ReceivedReport.objects.order_by("pk").values_list("status", flat=True)
    assert list(statuses) == [ReportStatus.PROCESSED] * 3
    assert task_of(reports[2]).status == TaskResultStatus.SUCCESSFUL
    pc1 = Asset.objects.get(name="PC-1")
    for name in ("PC-2", "PC-3"):
        asset = Asset.objects.get(name=name)
        assert SoftwareInstallation.objects.filter(asset=asset).count() == (
            SoftwareInstallation.objects.filter(asset=pc1).count() + 1
        )


def test_short_turns_still_apply_every_report(settings, monkeypatch):
    settings.INVENTORY_BATCH_REPORTS = 4
    monkeypatch.setattr(pipeline, "TURN_SECONDS", 0.0)  # one report per transaction
    for number in range(1, 5):
        queued_report(number)

    run_one_task()

    assert ReceivedReport.objects.filter(status=ReportStatus.PROCESSED).count() == 4
    assert Asset.objects.count() == 4


def test_an_error_that_stops_the_batch_gives_the_waiting_tasks_back(settings, monkeypatch):
    settings.INVENTORY_BATCH_REPORTS = 3
    reports = [queued_report(number) for number in (1, 2, 3)]

    def broken(parsed):
        raise OSError("the database went away")

    monkeypatch.setattr(pipeline, "_apply_in_turns", broken)

    run_one_task()

    own = task_of(reports[0])
    assert own.status == TaskResultStatus.FAILED
    assert "went away" in own.traceback
    for taken_along in reports[1:]:
        task = task_of(taken_along)
        assert task.status == TaskResultStatus.READY
        assert task.started_at is None
    assert not ReceivedReport.objects.exclude(status=ReportStatus.RECEIVED).exists()


def test_reports_of_agents_awaiting_approval_are_not_taken_along(settings):
    settings.INVENTORY_BATCH_REPORTS = 3
    queued_report(1)
    held = queued_report(2)
    Agent.objects.filter(device_id="pc-2").update(approved=False)

    run_one_task()

    held.refresh_from_db()
    assert held.status == ReportStatus.RECEIVED  # waits for the approval, which queues it
    assert task_of(held).status == TaskResultStatus.SUCCESSFUL
    assert not Asset.objects.filter(name="PC-2").exists()
