"""The worker remembers committed catalogue ids; a row removed behind its back costs a retry,
never a failed report."""

import hashlib
import json
import zlib

import pytest

from regie.assets.models import Asset, Software, SoftwareInstallation, SoftwareVersion
from regie.inventory import software
from regie.inventory.models import Agent, AgentProtocol, ReceivedReport, ReportStatus
from regie.inventory.pipeline import process_report
from regie.inventory.tests.fixtures import capture


def machine_report(number: int) -> ReceivedReport:
    document = json.loads(capture("glpiagent-inventory-full.json"))
    document["deviceid"] = f"pc-{number}"
    document["content"]["hardware"]["name"] = f"PC-{number}"
    document["content"]["hardware"]["uuid"] = f"4c4c4544-0000-0000-0000-{number:012d}"
    document["content"]["bios"]["ssn"] = f"SERIAL{number}"
    document["content"]["networks"] = []
    body = json.dumps(document).encode()
    agent = Agent.objects.create(device_id=f"pc-{number}", protocol=AgentProtocol.GLPI_JSON)
    return ReceivedReport.objects.create(
        agent=agent,
        protocol=AgentProtocol.GLPI_JSON,
        body=zlib.compress(body),
        body_sha256=hashlib.sha256(body).hexdigest(),
        body_size=len(body),
    )


@pytest.fixture
def empty_cache():
    software.catalogue.forget()
    yield software.catalogue
    software.catalogue.forget()


@pytest.mark.django_db(transaction=True)
def test_ids_are_remembered_after_commit(empty_cache):
    first = process_report(report_id=machine_report(1).pk)

    assert first.status == ReportStatus.PROCESSED
    assert len(empty_cache.versions) == SoftwareVersion.objects.count() > 500
    assert set(empty_cache.programs.values()) == set(Software.objects.values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_catalogue_row_removed_by_hand_is_read_again(empty_cache):
    process_report(report_id=machine_report(1).pk)
    programs_on_pc1 = SoftwareInstallation.objects.count()
    # Someone removes a program from the first machine and from the catalogue, by hand.
    version = SoftwareVersion.objects.order_by("pk").first()
    SoftwareInstallation.objects.filter(version=version).delete()
    program, removed_id = version.software, version.pk
    version.delete()
    program.delete()
    assert removed_id in empty_cache.versions.values()  # still remembered

    second = process_report(report_id=machine_report(2).pk)

    assert second.status == ReportStatus.PROCESSED, second.error
    pc2 = Asset.objects.get(name="PC-2")
    assert SoftwareInstallation.objects.filter(asset=pc2).count() == programs_on_pc1
    assert removed_id not in empty_cache.versions.values()  # forgotten, then read again
    assert Software.objects.filter(normalized_name=program.normalized_name).exists()
