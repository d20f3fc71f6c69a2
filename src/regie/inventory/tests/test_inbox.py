"""Processing stored reports: the task, the pipeline, replays."""

import datetime as dt
import hashlib
import zlib

import pytest
from django.core.management import call_command
from django.utils import timezone

from regie.inventory.models import Agent, AgentProtocol, ReceivedReport, ReportStatus
from regie.inventory.pipeline import process_report
from regie.inventory.tasks import process_received_report
from regie.inventory.tests.fixtures import capture

pytestmark = pytest.mark.django_db


def stored(body: bytes, protocol: AgentProtocol, **fields) -> ReceivedReport:
    agent, _created = Agent.objects.get_or_create(device_id="pc-1", defaults={"protocol": protocol})
    return ReceivedReport.objects.create(
        agent=agent,
        protocol=protocol,
        body=zlib.compress(body),
        body_sha256=hashlib.sha256(body).hexdigest(),
        body_size=len(body),
        **fields,
    )


@pytest.mark.parametrize(
    ("body_file", "protocol"),
    [
        ("fusioninventory-inventory.xml", AgentProtocol.FUSION_XML),
        ("ocs-inventory.xml", AgentProtocol.OCS_XML),
        ("glpiagent-inventory-full.json", AgentProtocol.GLPI_JSON),
        ("glpiagent-inventory-partial.json", AgentProtocol.GLPI_JSON),
    ],
)
def test_task_processes_each_protocol(body_file, protocol):
    report = stored(capture(body_file), protocol)

    status = process_received_report.call(report.pk)

    report.refresh_from_db()
    assert status == "processed"
    assert report.status == ReportStatus.PROCESSED
    assert report.error == ""
    assert report.processed_at is not None


def test_unparsable_report_fails_with_a_readable_error():
    body = b"<REQUEST><DEVICEID>pc-1</DEVICEID><QUERY>INVENTORY</QUERY></REQUEST>"
    report = stored(body, AgentProtocol.FUSION_XML)

    process_report(report_id=report.pk)

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.error == "The inventory request has no CONTENT."


def test_replay_failed_reruns_failed_reports(capsys):
    report = stored(
        capture("ocs-inventory.xml"), AgentProtocol.OCS_XML, status=ReportStatus.FAILED, error="x"
    )

    call_command("inventory", "replay", "--failed")

    report.refresh_from_db()
    assert (report.status, report.error) == (ReportStatus.PROCESSED, "")
    assert capsys.readouterr().out == f"{report.pk} processed\n"


def test_replay_of_a_processed_report_changes_nothing():
    processed_at = timezone.now() - dt.timedelta(days=1)
    report = stored(
        capture("ocs-inventory.xml"),
        AgentProtocol.OCS_XML,
        status=ReportStatus.PROCESSED,
        processed_at=processed_at,
    )

    call_command("inventory", "replay", str(report.pk))

    report.refresh_from_db()
    assert (report.status, report.processed_at) == (ReportStatus.PROCESSED, processed_at)


def test_replay_of_an_unknown_id_is_an_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No report with id 999"):
        call_command("inventory", "replay", "999")
