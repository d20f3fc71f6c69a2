"""What the asset page shows of its agent: human labels, local times, a way forward."""

import datetime as dt

import pytest

from regie.assets.models import NetworkInterface
from regie.assets.tests.factories import AssetFactory
from regie.core.tests.html import visible_text
from regie.inventory.applying import apply_report
from regie.inventory.report import (
    AgentInfo,
    Bios,
    Hardware,
    InventoryReport,
    OperatingSystem,
    Protocol,
)

pytestmark = pytest.mark.django_db

SETUP_LINK = 'href="/inventory/setup/"'


@pytest.fixture
def inventoried():
    report = InventoryReport(
        agent=AgentInfo(device_id="pc-compta-2026", protocol=Protocol.GLPI_JSON),
        hardware=Hardware(name="PC-COMPTA", uuid="4C4C4544-0034-3010-8048-B6C04F503732"),
        bios=Bios(serial="640HP72", manufacturer="Dell Inc.", model="OptiPlex 7010"),
        operating_system=OperatingSystem(
            name="Windows 11 Pro", last_boot=dt.datetime(2026, 11, 30, 8, 35, 39, tzinfo=dt.UTC)
        ),
    )
    return apply_report(report=report, now=dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)).asset


def test_agent_tab_names_the_protocol(client, technician, inventoried):
    client.force_login(technician)
    text = visible_text(client.get(f"{inventoried.get_absolute_url()}?tab=agent").content.decode())
    assert "Protocole GLPI Agent (JSON)" in text
    assert "glpi-json" not in text


def test_hardware_tab_shows_the_last_boot_in_local_time(client, technician, inventoried):
    client.force_login(technician)
    page = client.get(f"{inventoried.get_absolute_url()}?tab=hardware").content.decode()
    text = visible_text(page)
    assert "Dernier démarrage 30 novembre 2026 09:35" in text
    assert "+00:00" not in text
    assert "2026-11-30" not in text


@pytest.mark.parametrize(
    ("persona", "links_setup"),
    [("admin_user", True), ("technician", True), ("reader", False)],
)
def test_empty_agent_tab_points_to_the_agent_set_up(client, request, persona, links_setup):
    asset = AssetFactory(name="PC-SANS-AGENT")
    client.force_login(request.getfixturevalue(persona))
    page = client.get(f"{asset.get_absolute_url()}?tab=agent").content.decode()
    assert "Aucun agent d'inventaire ne remonte cet équipement." in visible_text(page)
    assert (SETUP_LINK in page) is links_setup
    if links_setup:
        assert "Installer un agent d'inventaire" in visible_text(page)


def test_network_tab_headings_are_capitalised(client, technician, inventoried):
    NetworkInterface.objects.create(asset=inventoried, name="eth0", mac="00:11:22:33:44:55")
    client.force_login(technician)
    page = client.get(f"{inventoried.get_absolute_url()}?tab=network").content.decode()
    text = visible_text(page)
    assert "Adresse MAC" in text
    assert "Adresses IP" in text
    assert "adresse MAC" not in text


@pytest.mark.parametrize("tab", ["hardware", "software", "network"])
@pytest.mark.parametrize(
    ("persona", "links_setup"),
    [("technician", True), ("reader", False)],
)
def test_empty_inventory_tabs_point_to_the_agent_set_up(client, request, tab, persona, links_setup):
    asset = AssetFactory(name="PC-SANS-AGENT")
    client.force_login(request.getfixturevalue(persona))
    page = client.get(f"{asset.get_absolute_url()}?tab={tab}").content.decode()
    assert "Un agent d'inventaire installé sur la machine remplit cet onglet" in visible_text(page)
    assert (SETUP_LINK in page) is links_setup
