import datetime as dt

import pytest
from django.urls import reverse

from regie.assets.models import SoftwareInstallation
from regie.inventory.applying import apply_report
from regie.inventory.report import (
    AgentInfo,
    Bios,
    Cpu,
    Hardware,
    InventoryReport,
    IpAddress,
    NetworkInterface,
    OperatingSystem,
    Protocol,
    Software,
    Volume,
)

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
SCRIPT = "<script>alert(1)</script>"


def make_report(programs=3):
    return InventoryReport(
        agent=AgentInfo(device_id="pc-accueil-2026", protocol=Protocol.GLPI_JSON),
        hardware=Hardware(
            name="PC-ACCUEIL", uuid="4C4C4544-0034-3010-8048-B6C04F503732", last_logged_user=SCRIPT
        ),
        bios=Bios(serial="640HP72", manufacturer="Dell Inc.", model="OptiPlex 7010"),
        operating_system=OperatingSystem(name="Debian GNU/Linux", version="12"),
        cpus=(Cpu(name="Intel Core i5-3470", cores=4, threads=4),),
        volumes=(Volume(mount_point="/", total_mib=1024, encrypted=True, encryption_name="LUKS2"),),
        networks=(
            NetworkInterface(
                description="eth0",
                mac="00:1a:2b:3c:4d:5e",
                virtual=False,
                addresses=(IpAddress("192.168.1.20", 4, 24),),
            ),
        ),
        software=tuple(
            Software(name=f"Programme {i:03d}", version="1.0", publisher="Éditeur")
            for i in range(programs)
        ),
    )


@pytest.fixture
def asset(db):
    return apply_report(report=make_report(), now=NOW).asset


def tab(client, asset, name, **params):
    query = "&".join(f"{k}={v}" for k, v in {"tab": name, **params}.items())
    return client.get(f"{asset.get_absolute_url()}?{query}")


def test_each_tab_renders_for_a_technician(client, technician, asset):
    client.force_login(technician)
    hardware = tab(client, asset, "hardware").content.decode()
    assert "Intel Core i5-3470" in hardware
    assert "LUKS2" in hardware
    assert "Debian GNU/Linux" in hardware
    software = tab(client, asset, "software").content.decode()
    assert software.count("Programme 0") == 3
    network = tab(client, asset, "network").content.decode()
    assert "00:1a:2b:3c:4d:5e" in network
    assert "192.168.1.20/24" in network
    agent = tab(client, asset, "agent").content.decode()
    assert "pc-accueil-2026" in agent
    history = tab(client, asset, "history").content.decode()
    assert 'id="history"' in history
    overview = client.get(asset.get_absolute_url())
    assert overview.context["tab"] == "overview"
    links = overview.context["tabs"]
    # Higher apps add tabs of their own (inventory's Agent, telework's Loans, ...).
    assert {"overview", "hardware", "software", "network", "history", "agent"} <= {
        link.name for link in links
    }
    assert [link.name for link in links if link.current] == ["overview"]


def test_agent_values_are_escaped(client, technician, asset):
    client.force_login(technician)
    page = tab(client, asset, "hardware").content.decode()
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_htmx_tab_request_renders_only_the_partial(client, technician, asset):
    client.force_login(technician)
    response = client.get(f"{asset.get_absolute_url()}?tab=network", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="tab-panel"')
    assert "<html" not in body
    assert "00:1a:2b:3c:4d:5e" in body


def test_empty_tabs_say_so(client, technician, colleague_asset):
    client.force_login(technician)
    for name in ("hardware", "software", "network", "agent"):
        body = tab(client, colleague_asset, name).content.decode()
        assert 'class="muted"' in body, name


def test_software_tab_search(client, technician, asset):
    client.force_login(technician)
    body = tab(client, asset, "software", q="Programme+001").content.decode()
    assert "Programme 001" in body
    assert "Programme 002" not in body


@pytest.mark.parametrize("size", [25, 100])
def test_software_tab_query_count_is_fixed(client, technician, size, django_assert_max_num_queries):
    asset = apply_report(report=make_report(programs=120), now=NOW).asset
    assert SoftwareInstallation.objects.filter(asset=asset).count() == 120
    client.force_login(technician)
    url = reverse("assets:asset-detail", args=[asset.pk])
    with django_assert_max_num_queries(12):
        body = client.get(f"{url}?tab=software&page_size={size}").content.decode()
    assert body.count("Programme ") == size
