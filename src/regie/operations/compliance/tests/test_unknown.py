"""Unknown is not compliant: assets a rule cannot tell about are counted and listed apart."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regie.assets.models import AssetInventory, AssetOperatingSystem, AssetStatus
from regie.assets.tests.factories import AssetFactory, AssetTypeFactory
from regie.core.testing import bearer_client
from regie.core.tests.html import visible_text
from regie.operations.compliance.evidence import evaluated_assets, unknown_counts

pytestmark = pytest.mark.django_db
REPORTED = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
WORKING_ANTIVIRUS = [{"name": "Microsoft Defender", "enabled": True, "up_to_date": True}]
SYSTEM_VOLUME = [{"mount_point": "C:", "encrypted": True}]


def laptop_type():
    return AssetTypeFactory(name="Ordinateur portable", kind="laptop", prefix="PORT")


def reported(asset, *, antivirus=None, volumes=None, system=True):
    sections = {}
    if antivirus is not None:
        sections["antivirus"] = antivirus
    if volumes is not None:
        sections["volumes"] = volumes
    AssetInventory.objects.create(
        asset=asset,
        agent_device_id=f"agent-{asset.pk}",
        protocol="glpi",
        last_inventory_at=REPORTED,
        sections=sections,
    )
    if system:
        AssetOperatingSystem.objects.create(asset=asset, name="Windows", version="11")
    return asset


@pytest.fixture
def fleet(site, other_site):
    """Five assets in use and one retired: what each rule can tell about them."""
    return {
        "never": AssetFactory(site=site, asset_type=laptop_type()),
        "linux": reported(
            AssetFactory(site=site, asset_type=laptop_type()), antivirus=[], volumes=[]
        ),
        "windows": reported(
            AssetFactory(site=site, asset_type=laptop_type(), warranty_end=dt.date(2030, 1, 1)),
            antivirus=WORKING_ANTIVIRUS,
            volumes=SYSTEM_VOLUME,
        ),
        "desktop": reported(AssetFactory(site=other_site), antivirus=WORKING_ANTIVIRUS),
        "no_system": reported(AssetFactory(site=other_site), system=False),
        "retired": AssetFactory(site=site, status=AssetStatus.RETIRED),
    }


def test_unknown_counts_per_rule(fleet, technician):
    counts = unknown_counts(evaluated_assets(technician))
    assert counts == {
        # never, no_system (the others reported their system)
        "os_end_of_support": 2,
        "os_end_of_support_soon": 2,
        "os_updates": 2,
        # never, linux (reported empty), no_system (no section at all)
        "antivirus": 3,
        "firewall": 5,  # nobody reported a firewall section
        # laptops only: never, linux
        "disk_encryption": 2,
        "inventory_stale": 1,
        "warranty_ending": 4,
        "warranty_expired": 4,
    }


def test_overview_shows_the_unknown_column_in_french(fleet, technician, client):
    client.force_login(technician)
    response = client.get("/compliance/")
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Inconnu" in text
    assert "5 matériels en service évalués." in text
    row = response.context["count_rows"][3]
    assert (row["label"], row["unknown"]) == ("Antivirus désactivé ou pas à jour", 3)
    assert row["unknown_url"] == "/compliance/unknown/?rule=antivirus"


def test_unknown_page_lists_the_assets_and_why(fleet, technician, client):
    client.force_login(technician)
    response = client.get("/compliance/unknown/", {"rule": "antivirus"})
    assert response.status_code == 200
    listed = {asset.pk: reason for asset, reason in response.context["items"]}
    assert listed == {
        fleet["never"].pk: "Jamais inventorié.",
        fleet["linux"].pk: "L'agent ne remonte pas l'antivirus.",
        fleet["no_system"].pk: "L'agent ne remonte pas l'antivirus.",
    }
    assert "3 matériels dont l'état est inconnu pour cette règle." in visible_text(
        response.content.decode()
    )


def test_unknown_page_without_a_rule_gives_the_counts(fleet, technician, client):
    client.force_login(technician)
    response = client.get("/compliance/unknown/")
    assert response.status_code == 200
    counts = {rule.code.value: count for rule, count in response.context["rows"]}
    assert counts["antivirus"] == 3


def test_unknown_page_refuses_a_rule_that_does_not_exist(technician, client):
    client.force_login(technician)
    response = client.get("/compliance/unknown/", {"rule": "nope"})
    assert response.status_code == 400
    assert "Règle inconnue : nope." in visible_text(response.content.decode())


def test_a_correspondent_counts_only_their_sites(fleet, correspondent, client):
    client.force_login(correspondent)
    response = client.get("/compliance/unknown/", {"rule": "antivirus"})
    assert response.status_code == 200
    listed = {asset.pk for asset, _reason in response.context["items"]}
    assert listed == {fleet["never"].pk, fleet["linux"].pk}
    rules = bearer_client(correspondent).get("/api/v1/compliance/rules/")
    assert (
        rules.status_code == 403
        or {r["code"]: r["unknown"] for r in rules.json()}["antivirus"] == 2
    )


def test_api_rules_give_the_unknown_count(fleet, reader):
    response = bearer_client(reader).get("/api/v1/compliance/rules/")
    assert response.status_code == 200
    unknown = {rule["code"]: rule["unknown"] for rule in response.json()}
    assert (unknown["antivirus"], unknown["disk_encryption"], unknown["inventory_stale"]) == (
        3,
        2,
        1,
    )


def test_counting_costs_a_fixed_number_of_queries(technician, client, site):
    client.force_login(technician)

    def page_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/compliance/").status_code == 200
        return len(queries.captured_queries)

    AssetFactory(site=site)
    few = page_queries()
    for _ in range(15):
        reported(AssetFactory(site=site, asset_type=laptop_type()), antivirus=[])
        AssetFactory(site=site)
    assert page_queries() == few
