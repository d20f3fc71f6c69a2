"""Each rule on assets built from real captured inventories, at and around its threshold."""

import dataclasses
import datetime as dt

import pytest
import time_machine

from regie.assets.models import AssetStatus
from regie.assets.tests.factories import AssetFactory
from regie.core.events import Severity
from regie.inventory.report import Antivirus, Volume
from regie.operations.compliance.models import ComplianceSettings, Finding, RuleCode
from regie.operations.compliance.services import evaluate_assets
from regie.tests.compliance_reports import (
    applied,
    glpi_capture,
    glpi_example,
    ocs_capture,
    windows,
)

pytestmark = pytest.mark.django_db
NOON = dt.time(11, 0, tzinfo=dt.UTC)  # noon in Paris in winter


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, NOON), tick=False)


def open_findings(asset):
    return {f.rule: f for f in Finding.objects.open().filter(asset=asset)}


def sweep_on(day: dt.date, asset):
    with at(day):
        evaluate_assets(assets=[asset])
    return open_findings(asset)


def test_the_debian_capture_has_its_firewall_off_and_nothing_else():
    asset = applied(glpi_capture())
    findings = sweep_on(dt.date(2026, 12, 1), asset)
    assert set(findings) == {RuleCode.FIREWALL}
    firewall = findings[RuleCode.FIREWALL]
    assert firewall.severity == Severity.WARNING
    assert firewall.reason == "Pare-feu désactivé : firewalld"
    assert firewall.details == {"off": ["firewalld"]}


def test_debian_12_end_of_support_warns_then_turns_critical():
    asset = applied(glpi_capture())
    end = dt.date(2028, 6, 30)
    assert RuleCode.OS_END_OF_SUPPORT_SOON not in sweep_on(end - dt.timedelta(days=91), asset)
    soon = sweep_on(end - dt.timedelta(days=90), asset)[RuleCode.OS_END_OF_SUPPORT_SOON]
    assert soon.severity == Severity.WARNING
    assert soon.reason == (
        "Debian 12 (bookworm) : fin de support le 30/06/2028, dans 90 jours (source : Debian LTS)"
    )
    on_the_day = sweep_on(end, asset)
    assert RuleCode.OS_END_OF_SUPPORT not in on_the_day
    assert RuleCode.OS_END_OF_SUPPORT_SOON in on_the_day
    after = sweep_on(end + dt.timedelta(days=1), asset)
    assert RuleCode.OS_END_OF_SUPPORT_SOON not in after
    past = after[RuleCode.OS_END_OF_SUPPORT]
    assert past.severity == Severity.CRITICAL
    assert (
        past.reason == "Debian 12 (bookworm) : fin de support le 30/06/2028 (source : Debian LTS)"
    )
    assert past.details["source"] == "https://wiki.debian.org/LTS"
    assert Finding.objects.get(pk=soon.pk).resolved_at is not None


def test_windows_10_22h2_pro_is_past_end_of_support_after_14_october_2025():
    report = windows(glpi_capture(), "Microsoft Windows 10 Professionnel", "10.0.19045", "22H2")
    asset = applied(report)
    assert RuleCode.OS_END_OF_SUPPORT not in sweep_on(dt.date(2025, 10, 14), asset)
    finding = sweep_on(dt.date(2025, 10, 15), asset)[RuleCode.OS_END_OF_SUPPORT]
    assert finding.reason == (
        "Windows 10 22H2 Famille/Professionnel : fin de support le 14/10/2025 "
        "(source : Microsoft Lifecycle)"
    )


def test_windows_11_23h2_enterprise_outlives_pro():
    pro = applied(windows(glpi_capture(), "Microsoft Windows 11 Pro", "10.0.22631", "23H2"))
    day = dt.date(2026, 1, 15)
    assert RuleCode.OS_END_OF_SUPPORT in sweep_on(day, pro)
    Finding.objects.all().delete()
    pro.operating_system.full_name = "Microsoft Windows 11 Entreprise"
    pro.operating_system.save()
    assert RuleCode.OS_END_OF_SUPPORT not in sweep_on(day, pro)


def test_no_update_threshold_from_the_ocs_package_dates():
    asset = applied(ocs_capture())  # newest package installed 2026-10-30; threshold 45 days
    last = dt.date(2026, 10, 30)
    assert RuleCode.OS_UPDATES not in sweep_on(last + dt.timedelta(days=44), asset)
    assert RuleCode.OS_UPDATES not in sweep_on(last + dt.timedelta(days=45), asset)
    finding = sweep_on(last + dt.timedelta(days=46), asset)[RuleCode.OS_UPDATES]
    assert finding.severity == Severity.WARNING
    assert finding.reason == (
        "Dernière mise à jour connue le 30/10/2026, il y a 46 jours (seuil : 45 jours)"
    )
    assert finding.details == {"last_update": "2026-10-30", "source": "software", "age_days": 46}


def test_no_update_follows_the_threshold_setting():
    asset = applied(ocs_capture())
    ComplianceSettings.objects.update_or_create(pk=1, defaults={"update_max_age_days": 10})
    assert RuleCode.OS_UPDATES in sweep_on(dt.date(2026, 11, 10), asset)
    ComplianceSettings.objects.filter(pk=1).update(os_updates_enabled=False)
    assert RuleCode.OS_UPDATES not in sweep_on(dt.date(2026, 11, 10), asset)


def test_no_inventory_threshold():
    asset = applied(glpi_capture())  # inventoried 2026-11-30; threshold 30 days
    reported = dt.date(2026, 11, 30)
    assert RuleCode.INVENTORY_STALE not in sweep_on(reported + dt.timedelta(days=29), asset)
    assert RuleCode.INVENTORY_STALE not in sweep_on(reported + dt.timedelta(days=30), asset)
    finding = sweep_on(reported + dt.timedelta(days=31), asset)[RuleCode.INVENTORY_STALE]
    assert finding.reason == (
        "Dernier inventaire le 30/11/2026, il y a 31 jours (seuil : 30 jours)"
    )


def test_an_asset_that_never_reported_is_not_stale():
    asset = AssetFactory()
    assert sweep_on(dt.date(2026, 12, 1), asset) == {}


def test_antivirus_disabled_then_fixed():
    report = windows(glpi_capture(), "Microsoft Windows 11 Pro", "10.0.26100", "24H2")
    broken = dataclasses.replace(
        report, antivirus=(Antivirus(name="Microsoft Defender", enabled=False, up_to_date=True),)
    )
    asset = applied(broken)
    finding = sweep_on(dt.date(2026, 12, 1), asset)[RuleCode.ANTIVIRUS]
    assert finding.severity == Severity.CRITICAL
    assert finding.reason == "Aucun antivirus en état de marche : Microsoft Defender (désactivé)"
    fixed = dataclasses.replace(
        report, antivirus=(Antivirus(name="Microsoft Defender", enabled=True, up_to_date=True),)
    )
    applied(fixed)
    assert RuleCode.ANTIVIRUS not in sweep_on(dt.date(2026, 12, 2), asset)
    finding.refresh_from_db()
    assert finding.resolved_at == dt.datetime(2026, 12, 2, 11, 0, tzinfo=dt.UTC)


def test_antivirus_out_of_date_is_a_finding_but_a_second_working_one_is_enough():
    report = glpi_capture()
    stale = Antivirus(name="ESET", enabled=True, up_to_date=False)
    asset = applied(dataclasses.replace(report, antivirus=(stale,)))
    finding = sweep_on(dt.date(2026, 12, 1), asset)[RuleCode.ANTIVIRUS]
    assert finding.reason == "Aucun antivirus en état de marche : ESET (pas à jour)"
    defender_off = Antivirus(name="Microsoft Defender", enabled=False, up_to_date=True)
    eset_ok = Antivirus(name="ESET", enabled=True, up_to_date=True)
    applied(dataclasses.replace(report, antivirus=(defender_off, eset_ok)))
    assert RuleCode.ANTIVIRUS not in sweep_on(dt.date(2026, 12, 1), asset)


def test_laptop_encryption_from_the_glpi_examples():
    encrypted = applied(glpi_example("computer_1.json"))  # Laptop, / on LUKS
    plain = applied(glpi_example("computer_3.json.gz"))  # Notebook, / not encrypted
    assert encrypted.asset_type.kind == plain.asset_type.kind == "laptop"
    day = dt.date(2026, 12, 1)
    assert RuleCode.DISK_ENCRYPTION not in sweep_on(day, encrypted)
    finding = sweep_on(day, plain)[RuleCode.DISK_ENCRYPTION]
    assert finding.severity == Severity.CRITICAL
    assert finding.reason == "Le volume système / n'est pas chiffré"


def test_bitlocker_off_on_a_windows_laptop_then_turned_on():
    report = windows(glpi_example("computer_3.json.gz"), "Microsoft Windows 11 Pro", "10.0.26100")
    off = Volume(mount_point="C:", filesystem="NTFS", encrypted=False, encryption_status="No")
    asset = applied(dataclasses.replace(report, volumes=(off,)))
    finding = sweep_on(dt.date(2026, 12, 1), asset)[RuleCode.DISK_ENCRYPTION]
    assert finding.reason == "Le volume système C: n'est pas chiffré (état signalé : No)"
    on = dataclasses.replace(off, encrypted=True, encryption_name="BitLocker")
    applied(dataclasses.replace(report, volumes=(on,)))
    assert RuleCode.DISK_ENCRYPTION not in sweep_on(dt.date(2026, 12, 1), asset)


def test_a_desktop_without_encryption_is_not_a_finding():
    asset = applied(glpi_capture())  # a container: not a laptop
    assert RuleCode.DISK_ENCRYPTION not in sweep_on(dt.date(2026, 12, 1), asset)


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (61, set()),
        (60, {RuleCode.WARRANTY_ENDING}),
        (59, {RuleCode.WARRANTY_ENDING}),
        (0, {RuleCode.WARRANTY_ENDING}),
        (-1, {RuleCode.WARRANTY_EXPIRED}),
    ],
)
def test_warranty_thresholds(days_left, expected):
    today = dt.date(2026, 12, 1)
    asset = AssetFactory(warranty_end=today + dt.timedelta(days=days_left))
    assert set(sweep_on(today, asset)) == expected


def test_warranty_reasons_and_severities():
    today = dt.date(2026, 12, 1)
    ending = AssetFactory(warranty_end=dt.date(2027, 1, 15))
    ended = AssetFactory(warranty_end=dt.date(2026, 6, 30))
    soon = sweep_on(today, ending)[RuleCode.WARRANTY_ENDING]
    assert (soon.severity, soon.reason) == (
        Severity.WARNING,
        "La garantie se termine le 15/01/2027, dans 45 jours",
    )
    past = sweep_on(today, ended)[RuleCode.WARRANTY_EXPIRED]
    assert (past.severity, past.reason) == (Severity.INFO, "La garantie a pris fin le 30/06/2026")


def test_retired_assets_are_not_evaluated_and_their_findings_resolved():
    asset = applied(glpi_capture())
    assert RuleCode.FIREWALL in sweep_on(dt.date(2026, 12, 1), asset)
    asset.status = AssetStatus.RETIRED
    asset.save()
    with at(dt.date(2026, 12, 2)):
        result = evaluate_assets()
    assert (result.assets, result.resolved) == (0, 1)
    assert open_findings(asset) == {}
