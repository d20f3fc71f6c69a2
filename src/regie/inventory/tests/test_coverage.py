"""How many computers report their inventory, and since when, scoped by who asks."""

import datetime as dt

import pytest

from regie.assets.models import AssetInventory, AssetStatus
from regie.assets.tests.factories import AssetFactory, AssetTypeFactory
from regie.inventory.coverage import fleet_coverage

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def reported(asset, at):
    AssetInventory.objects.create(
        asset=asset, agent_device_id=f"agent-{asset.pk}", protocol="glpi", last_inventory_at=at
    )
    return asset


def test_counts_computers_reporting_recently_and_the_report_dates(technician, site, other_site):
    printer = AssetTypeFactory(name="Imprimante", kind="printer", prefix="IMP")
    reported(AssetFactory(site=site), NOW - dt.timedelta(days=2))
    reported(AssetFactory(site=site), NOW - dt.timedelta(days=30))
    AssetFactory(site=other_site)  # a computer that never reported
    AssetFactory(site=site, asset_type=printer)  # not a computer, no agent: not counted
    AssetFactory(site=site, status=AssetStatus.RETIRED)  # out of use: not counted
    coverage = fleet_coverage(technician, now=NOW)
    assert (coverage.computers, coverage.reporting, coverage.recent, coverage.silent) == (
        3,
        2,
        1,
        1,
    )
    assert coverage.oldest_report_at == NOW - dt.timedelta(days=30)
    assert coverage.newest_report_at == NOW - dt.timedelta(days=2)
    assert (coverage.unknown, coverage.reporting_percent) == (False, 67)


def test_nothing_reporting_is_unknown(technician, site):
    AssetFactory(site=site)
    coverage = fleet_coverage(technician, now=NOW)
    assert (coverage.computers, coverage.reporting, coverage.unknown) == (1, 0, True)
    assert coverage.oldest_report_at is None


def test_a_correspondent_sees_the_coverage_of_their_sites(correspondent, site, other_site):
    reported(AssetFactory(site=site), NOW)
    reported(AssetFactory(site=other_site), NOW)
    AssetFactory(site=other_site)
    coverage = fleet_coverage(correspondent, now=NOW)
    assert (coverage.computers, coverage.reporting) == (1, 1)


def test_one_query(technician, django_assert_num_queries, site):
    reported(AssetFactory(site=site), NOW)
    with django_assert_num_queries(1):
        fleet_coverage(technician, now=NOW)
