import dataclasses
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regie.assets.models import (
    Asset,
    AssetInventory,
    AssetKind,
    AssetStatus,
    Software,
    SoftwareInstallation,
    SoftwareVersion,
)
from regie.core.history import history_of
from regie.core.models import ChangeSource
from regie.inventory.applying import apply_report
from regie.inventory.matching import MatchRule
from regie.inventory.protocols import fusion_xml, glpi_json
from regie.inventory.report import Bios, Hardware, Section
from regie.inventory.report import Software as ReportedSoftware
from regie.inventory.tests.fixtures import capture

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def writes(queries):
    return [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]


@pytest.fixture(scope="module")
def glpi_report():
    report = glpi_json.parse(capture("glpiagent-inventory-full.json"))
    return dataclasses.replace(
        report,
        hardware=dataclasses.replace(report.hardware, uuid="4C4C4544-0034-3010-8048-B6C04F503732"),
        bios=Bios(serial="640HP72", manufacturer="Dell Inc.", model="OptiPlex 7010"),
    )


def churned(report, share=0.02):
    """The report with ``share`` of its programs upgraded, removed or added, a third each."""
    count = max(3, int(len(report.software) * share))
    third = count // 3
    software = list(report.software)
    upgraded = [dataclasses.replace(s, version=f"{s.version}+new") for s in software[:third]]
    kept = software[2 * third :]
    added = [ReportedSoftware(name=f"nouveau-{i}", version="1.0") for i in range(third)]
    return dataclasses.replace(report, software=(*upgraded, *kept, *added)), software, third


@pytest.mark.django_db
def test_first_report_creates_one_asset_with_identity_os_and_software(glpi_report):
    outcome = apply_report(report=glpi_report, now=NOW)

    asset = Asset.objects.get()
    assert outcome.created is True
    assert outcome.matched_rule is None
    assert outcome.asset == asset
    assert asset.name == "vm"
    assert asset.serial_number == "640HP72"
    assert asset.hardware_uuid == "4c4c4544-0034-3010-8048-b6c04f503732"
    assert str(asset.manufacturer) == "Dell Inc."
    assert str(asset.model) == "Dell Inc. OptiPlex 7010"
    assert asset.asset_type.kind == AssetKind.VIRTUAL_MACHINE  # vm_system "Docker"
    assert asset.status == AssetStatus.IN_SERVICE
    assert asset.inventory_number == f"VM-{asset.pk:06d}"
    assert str(asset.operating_system) == "Debian GNU/Linux 12.11 6.18.44-fc-v669"
    assert asset.software_installations.count() == 827
    assert Software.objects.count() == 827
    eth0 = asset.network_interfaces.get(name="eth0")
    assert (eth0.mac, eth0.virtual) == ("02:fc:00:00:00:01", True)  # locally administered
    assert sorted(eth0.addresses.values_list("address", flat=True)) == [
        "192.0.2.2",
        "fd00::2",
        "fe80::fc:ff:fe00:1",
    ]
    inventory = AssetInventory.objects.get(asset=asset)
    assert inventory.agent_device_id == "vm-2026-11-30-08-40-03"
    assert inventory.memory_mib == 24105
    assert inventory.sections["volumes"][0]["mount_point"] == "/"
    rows = {(r.action, r.field): r for r in history_of(asset)}
    assert all(r.source == ChangeSource.AGENT for r in rows.values())
    assert rows[("update", "software")].new_value == "827 logiciels"
    assert rows[("update", "ip_addresses")].new_value == "192.0.2.2, fd00::2"
    assert ("create", "") in rows


@pytest.mark.django_db
def test_same_report_twice_writes_nothing(glpi_report):
    apply_report(report=glpi_report, now=NOW)

    with CaptureQueriesContext(connection) as queries:
        outcome = apply_report(report=glpi_report, now=NOW)

    assert writes(queries.captured_queries) == []
    assert (outcome.created, outcome.matched_rule, outcome.changes) == (
        False,
        MatchRule.SERIAL_AND_UUID,
        0,
    )
    assert len(queries.captured_queries) <= 12


@pytest.mark.django_db
def test_an_unchanged_software_list_is_not_read_row_by_row(glpi_report):
    apply_report(report=glpi_report, now=NOW)

    with CaptureQueriesContext(connection) as queries:
        apply_report(report=glpi_report, now=NOW)

    # The fingerprint and a count stand for the 800 rows: no join over the installations.
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "assets_softwareversion" not in sql
    assert AssetInventory.objects.get().software_count == SoftwareInstallation.objects.count()


@pytest.mark.django_db
def test_an_unchanged_list_as_sent_is_not_even_built():
    body = capture("glpiagent-inventory-full.json")
    apply_report(report=glpi_json.parse(body), now=NOW)
    again = glpi_json.parse(body)

    outcome = apply_report(report=again, now=NOW)

    assert outcome.changes == 0
    assert not again.software.is_built
    asset = Asset.objects.get()
    assert SoftwareInstallation.objects.filter(asset=asset).count() == len(again.software)


@pytest.mark.django_db
def test_installations_lost_behind_the_fingerprint_are_restored(glpi_report):
    apply_report(report=glpi_report, now=NOW)
    asset = Asset.objects.get()
    total = SoftwareInstallation.objects.count()
    # An installation removed by hand (the admin site), not by a report.
    SoftwareInstallation.objects.filter(asset=asset).first().delete()
    assert SoftwareInstallation.objects.count() == total - 1

    outcome = apply_report(report=glpi_report, now=NOW)

    assert SoftwareInstallation.objects.filter(asset=asset).count() == total
    assert outcome.changes >= 1  # the program comes back, in the history


@pytest.mark.django_db
def test_a_changed_list_with_the_same_length_is_applied(glpi_report):
    apply_report(report=glpi_report, now=NOW)
    first = glpi_report.software[0]
    renamed = dataclasses.replace(first, version=f"{first.version}-patched")
    report = dataclasses.replace(glpi_report, software=(renamed, *glpi_report.software[1:]))

    outcome = apply_report(report=report, now=NOW)

    assert outcome.changes == 1
    assert SoftwareVersion.objects.filter(version=renamed.version).exists()


@pytest.mark.django_db
def test_two_percent_churn_records_exactly_the_changes(glpi_report):
    apply_report(report=glpi_report, now=NOW)
    report, original, third = churned(glpi_report)
    asset = Asset.objects.get()
    before = history_of(asset).count()

    with CaptureQueriesContext(connection) as queries:
        outcome = apply_report(report=report, now=NOW)

    rows = list(history_of(asset).filter(field="software").order_by("id"))[1:]
    assert outcome.changes == len(rows) == 3 * third
    assert history_of(asset).count() == before + 3 * third
    upgrades = {(r.old_value, r.new_value) for r in rows if r.old_value and r.new_value}
    assert upgrades == {
        (f"{s.name} {s.version}", f"{s.name} {s.version}+new") for s in original[:third]
    }
    removed = {r.old_value for r in rows if not r.new_value}
    assert removed == {f"{s.name} {s.version}" for s in original[third : 2 * third]}
    added = {r.new_value for r in rows if not r.old_value}
    assert added == {f"nouveau-{i} 1.0" for i in range(third)}
    assert asset.software_installations.count() == 827  # -third removed, +third added
    assert len(queries.captured_queries) <= 25


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_software_list(glpi_report):
    small = dataclasses.replace(glpi_report, software=glpi_report.software[:100])
    apply_report(report=small, now=NOW)
    with CaptureQueriesContext(connection) as small_queries:
        apply_report(report=churned(small)[0], now=NOW)
    Asset.objects.all().delete()
    apply_report(report=glpi_report, now=NOW)
    with CaptureQueriesContext(connection) as large_queries:
        apply_report(report=churned(glpi_report)[0], now=NOW)

    assert len(large_queries.captured_queries) == len(small_queries.captured_queries)


@pytest.mark.django_db
def test_first_apply_of_800_programs_takes_few_queries(glpi_report):
    with CaptureQueriesContext(connection) as queries:
        apply_report(report=glpi_report, now=NOW)

    # Mostly bulk inserts: SQLite takes ~166 catalogue rows per statement (999 parameters).
    assert len(queries.captured_queries) <= 55


@pytest.mark.django_db
def test_partial_report_touches_only_its_sections(glpi_report):
    apply_report(report=glpi_report, now=NOW)
    partial = dataclasses.replace(
        glpi_report,
        partial=True,
        sections=frozenset({Section.HARDWARE, Section.BIOS}),
        hardware=dataclasses.replace(glpi_report.hardware, name="vm-renamed", memory_mib=32000),
        software=(),
        networks=(),
        volumes=(),
    )

    outcome = apply_report(report=partial, now=NOW)

    asset = Asset.objects.get()
    assert outcome.changed_fields == ("name",)
    assert asset.name == "vm-renamed"
    assert asset.software_installations.count() == 827
    assert asset.network_interfaces.count() == 4
    assert asset.inventory.sections["volumes"][0]["mount_point"] == "/"
    assert asset.inventory.memory_mib == 32000
    changes = history_of(asset).filter(field__in=["name", "memory", "software", "disks"])
    assert {(r.field, r.old_value, r.new_value) for r in changes if r.old_value} == {
        ("name", "vm", "vm-renamed"),
        ("memory", "24105", "32000"),
    }


@pytest.mark.django_db
def test_full_report_with_empty_section_removes_it(glpi_report):
    apply_report(report=glpi_report, now=NOW)

    apply_report(report=dataclasses.replace(glpi_report, software=()), now=NOW)

    assert SoftwareInstallation.objects.count() == 0
    assert SoftwareVersion.objects.count() == 827  # the catalogue keeps what it learnt


@pytest.mark.django_db
def test_locked_field_is_kept(glpi_report):
    outcome = apply_report(report=glpi_report, now=NOW)
    Asset.objects.filter(pk=outcome.asset.pk).update(name="PORTABLE-DG", locked_fields=["name"])
    renamed = dataclasses.replace(
        glpi_report, hardware=dataclasses.replace(glpi_report.hardware, name="autre-nom")
    )

    outcome = apply_report(report=renamed, now=NOW)

    assert outcome.changed_fields == ()
    assert Asset.objects.get().name == "PORTABLE-DG"


@pytest.mark.django_db
def test_catalogue_is_shared_by_two_assets(glpi_report):
    apply_report(report=glpi_report, now=NOW)
    other = dataclasses.replace(
        glpi_report,
        hardware=Hardware(name="autre", uuid="11111111-2222-3333-4444-555555555555"),
        bios=Bios(serial="AUTRE01", manufacturer="Dell Inc."),
    )

    outcome = apply_report(report=other, now=NOW)

    assert outcome.created is True
    assert Asset.objects.count() == 2
    assert Software.objects.count() == 827
    assert SoftwareVersion.objects.count() == 827
    assert SoftwareInstallation.objects.count() == 2 * 827
    adduser = SoftwareVersion.objects.get(software__normalized_name="adduser")
    assert set(adduser.installations.values_list("asset__name", flat=True)) == {"vm", "autre"}


@pytest.mark.django_db
def test_fusion_then_glpi_report_of_the_same_machine_is_one_asset():
    fusion = fusion_xml.parse(capture("fusioninventory-inventory.xml"))
    glpi = glpi_json.parse(capture("glpiagent-inventory-full.json"))

    apply_report(report=fusion, now=NOW)
    outcome = apply_report(report=glpi, now=NOW)

    assert outcome.matched_rule == MatchRule.NAME  # no serial, no UUID, a made-up MAC
    assert Asset.objects.count() == 1
    assert outcome.asset.software_installations.count() == 827
