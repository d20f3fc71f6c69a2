"""The sweep: idempotent, resolves what is fixed, announces new serious findings sparingly,
feeds the daily round."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from regie.assets.tests.factories import AssetFactory, AssetTypeFactory
from regie.core import events
from regie.core.events import Severity
from regie.core.rounds import round_sources
from regie.core.schedule import periodic_jobs
from regie.operations.compliance.models import ComplianceSettings, Finding, RuleCode
from regie.operations.compliance.rounds import finding_items
from regie.operations.compliance.services import evaluate_assets
from regie.tests.compliance_reports import applied, glpi_example

pytestmark = pytest.mark.django_db
DAY = dt.datetime(2026, 12, 1, 1, 30, tzinfo=dt.UTC)


@pytest.fixture
def received(monkeypatch):
    monkeypatch.setattr(events, "_HANDLERS", [])
    seen: list[events.Event] = []
    events.subscribe(seen.append)
    return seen


def unencrypted_laptops(count):
    """``count`` laptops from the real GLPI example whose system volume is not encrypted.

    The example dates from 2017: the update and inventory rules are switched off so that
    encryption is the only thing they fail."""
    ComplianceSettings.objects.update_or_create(
        pk=1, defaults={"os_updates_enabled": False, "inventory_stale_enabled": False}
    )
    laptop = applied(glpi_example("computer_3.json.gz"))
    clones = []
    for _ in range(count - 1):
        clone = AssetFactory(asset_type=laptop.asset_type)
        inventory = laptop.inventory
        inventory.pk = None
        inventory.asset_id = clone.pk
        inventory.save()
        clones.append(clone)
    return [laptop, *clones]


def sweep(now=DAY, **kwargs):
    with time_machine.travel(now, tick=False):
        return evaluate_assets(**kwargs)


def test_a_second_sweep_opens_and_announces_nothing(received, django_capture_on_commit_callbacks):
    unencrypted_laptops(2)
    with django_capture_on_commit_callbacks(execute=True):
        first = sweep()
    assert (first.opened, first.events) == (2, 2)
    with django_capture_on_commit_callbacks(execute=True):
        second = sweep(DAY + dt.timedelta(hours=1))
    assert (second.opened, second.updated, second.resolved, second.events) == (0, 0, 0, 0)
    assert second.still_open == 2
    assert len(received) == 2
    assert Finding.objects.count() == 2
    assert set(Finding.objects.values_list("last_seen", flat=True)) == {DAY + dt.timedelta(hours=1)}


def test_a_new_critical_finding_publishes_one_event_in_french(
    received, django_capture_on_commit_callbacks
):
    [laptop] = unencrypted_laptops(1)
    with django_capture_on_commit_callbacks(execute=True):
        sweep()
    finding = Finding.objects.get(rule=RuleCode.DISK_ENCRYPTION)
    [event] = received
    assert event.kind == "finding.new"
    assert event.severity == Severity.CRITICAL
    assert event.title == f"{laptop} : Disque de portable non chiffré"
    assert event.text == "Le volume système / n'est pas chiffré"
    assert event.url == f"/fleet/assets/{laptop.pk}/"
    assert event.data == {
        "finding_id": finding.pk,
        "asset_id": laptop.pk,
        "asset_name": "LF014",
        "asset_number": laptop.inventory_number,
        "rule": "disk_encryption",
        "severity": "critical",
        "reason": "Le volume système / n'est pas chiffré",
    }


def test_many_new_findings_give_a_few_events_and_one_summary(
    received, django_capture_on_commit_callbacks
):
    unencrypted_laptops(8)
    AssetFactory(warranty_end=dt.date(2027, 1, 1))  # a warning of a rule that is not serious
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep()
    assert result.opened == 9
    assert [event.kind for event in received] == ["finding.new"] * 5 + ["finding.summary"]
    summary = received[-1]
    assert summary.title == "3 autres nouvelles anomalies de conformité"
    assert summary.text == "Disque de portable non chiffré : 3"
    assert summary.data["count"] == 3
    assert summary.data["by_rule"] == {"disk_encryption": 3}
    assert summary.url == "/compliance/?open=true"


def test_the_limit_of_single_events_is_a_setting(received, django_capture_on_commit_callbacks):
    ComplianceSettings.objects.update_or_create(pk=1, defaults={"max_events_per_sweep": 0})
    unencrypted_laptops(2)
    with django_capture_on_commit_callbacks(execute=True):
        sweep()
    assert [event.kind for event in received] == ["finding.summary"]


def test_a_fixed_problem_is_resolved_and_its_return_opens_a_new_finding():
    asset = AssetFactory(warranty_end=dt.date(2027, 1, 1))
    sweep()
    first = Finding.objects.get()
    asset.warranty_end = dt.date(2030, 1, 1)
    asset.save()
    result = sweep(DAY + dt.timedelta(days=1))
    assert result.resolved == 1
    first.refresh_from_db()
    assert first.resolved_at == DAY + dt.timedelta(days=1)
    asset.warranty_end = dt.date(2027, 1, 1)
    asset.save()
    sweep(DAY + dt.timedelta(days=2))
    again = Finding.objects.open().get()
    assert again.pk != first.pk
    assert again.first_seen == DAY + dt.timedelta(days=2)
    assert Finding.objects.count() == 2


def test_a_changed_reason_updates_the_open_finding():
    AssetFactory(warranty_end=dt.date(2027, 1, 1))
    sweep()
    result = sweep(DAY + dt.timedelta(days=1))
    assert (result.opened, result.updated) == (0, 1)
    finding = Finding.objects.get()
    assert finding.reason == "La garantie se termine le 01/01/2027, dans 30 jours"
    assert finding.first_seen == DAY


def test_a_disabled_rule_resolves_its_findings():
    AssetFactory(warranty_end=dt.date(2027, 1, 1))
    sweep()
    ComplianceSettings.objects.filter(pk=1).update(warranty_enabled=False)
    assert sweep(DAY + dt.timedelta(days=1)).resolved == 1
    assert not Finding.objects.open().exists()


def test_batches_give_the_same_result_as_one_pass():
    laptop_type = AssetTypeFactory(prefix="PORT", name="Portable", kind="laptop")
    for day in range(7):
        AssetFactory(asset_type=laptop_type, warranty_end=dt.date(2026, 12, 10 + day))
    result = sweep(batch_size=3)
    assert (result.assets, result.opened) == (7, 7)


def test_the_command_prints_a_summary(capsys):
    AssetFactory(warranty_end=dt.date(2027, 1, 1))
    with time_machine.travel(DAY, tick=False):
        call_command("compliance", "sweep")
    out = capsys.readouterr().out
    assert "1 asset(s) evaluated" in out
    assert "1 finding(s) opened, 0 updated, 0 resolved, 0 still open; 0 event(s) published." in out
    assert "  warranty_ending: 1 new" in out


def test_the_nightly_sweep_is_registered():
    [job] = [job for job in periodic_jobs() if job.name == "compliance.sweep"]
    assert job.daily_at == dt.time(2, 30)
    assert job.task.name.endswith("sweep_compliance")


def test_the_daily_round_lists_new_findings_since_the_hand_over(admin_user, correspondent, site):
    [source] = [s for s in round_sources() if s.key == "findings"]
    assert (str(source.label), source.order) == ("Nouvelles anomalies", 20)
    here = AssetFactory(site=site, warranty_end=dt.date(2027, 1, 1))
    [laptop, *_] = unencrypted_laptops(1)
    sweep()
    later = AssetFactory(warranty_end=dt.date(2026, 12, 20))
    sweep(DAY + dt.timedelta(days=1))
    critical = Finding.objects.get(asset=laptop)
    # Before the first hand-over: every open critical finding.
    assert [item.key for item in finding_items(admin_user, None)] == [f"finding:{critical.pk}"]
    newer = Finding.objects.get(asset=later)
    items = finding_items(admin_user, DAY + dt.timedelta(hours=12))
    assert [item.key for item in items] == [f"finding:{newer.pk}"]
    assert items[0].detail == "La garantie se termine le 20/12/2026, dans 18 jours"
    assert items[0].url == f"/fleet/assets/{later.pk}/"
    # A correspondent only hears of their sites' assets.
    assert [item.key for item in finding_items(correspondent, DAY - dt.timedelta(days=1))] == [
        f"finding:{Finding.objects.get(asset=here).pk}"
    ]
