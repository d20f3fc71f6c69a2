import datetime as dt

import pytest

from regie.inventory.exceptions import MalformedReport
from regie.inventory.protocols import fusion_xml
from regie.inventory.protocols.messages import MessageKind
from regie.inventory.report import Firewall, IpAddress, Protocol, Section, Software
from regie.inventory.tests.fixtures import capture


def test_inventory_capture_gives_identity_os_and_software():
    report = fusion_xml.parse(capture("fusioninventory-inventory.xml"))

    assert report.agent.device_id == "vm-2026-11-30-08-38-56"
    assert report.agent.protocol is Protocol.FUSION_XML
    assert (report.agent.name, report.agent.version) == ("FusionInventory-Agent", "2.6-3")
    assert report.partial is False
    assert report.sections == frozenset(Section)
    assert report.hardware.name == "vm"
    assert report.hardware.vm_system == "Docker"
    assert report.hardware.dns_servers == ("10.255.255.53",)
    assert report.bios.serial is None
    assert report.operating_system.full_name == "Debian GNU/Linux 12 (bookworm)"
    assert report.operating_system.version == "12.11"
    assert report.operating_system.architecture == "x86_64"
    assert report.operating_system.last_boot == dt.datetime(2026, 11, 30, 8, 35, 38, tzinfo=dt.UTC)
    assert report.memory_total_mib == 24105
    assert len(report.software) == 784
    assert report.software[0] == Software(
        name="adduser", version="3.134", publisher="Debian", architecture="all", source="deb"
    )
    assert report.volumes[0].total_mib == 258019
    assert report.volumes[0].free_mib == 81296
    assert report.firewalls == (Firewall(status="off", enabled=False),)
    assert report.cpus[0].name == "AMD EPYC"
    assert report.cpus[0].cores == 2


def test_inventory_capture_merges_addresses_per_interface():
    report = fusion_xml.parse(capture("fusioninventory-inventory.xml"))

    eth0 = next(interface for interface in report.networks if interface.description == "eth0")
    lo = report.networks[0]
    assert eth0.mac == "02:fc:00:00:00:01"
    assert eth0.virtual is False
    assert eth0.addresses[0] == IpAddress("192.0.2.2", 4, 24)
    assert len(eth0.addresses) == 3
    assert lo.virtual is True
    assert lo.type == "loopback"


def test_prolog_is_recognised():
    message = fusion_xml.recognise(capture("fusioninventory-prolog.xml"))

    assert message.kind is MessageKind.PROLOG
    assert message.device_id == "vm-2026-11-30-08-38-56"


def test_glpi_agent_first_contact_prolog_is_recognised():
    message = fusion_xml.recognise(capture("glpiagent-prolog.xml"))

    assert message.kind is MessageKind.PROLOG
    assert message.device_id == "vm-2026-11-30-08-40-03"


def test_prolog_is_not_an_inventory():
    with pytest.raises(MalformedReport, match="'PROLOG' query, not an inventory"):
        fusion_xml.parse(capture("fusioninventory-prolog.xml"))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<REQUEST><QUERY>INVENTORY</QUERY><DEVICEID>a</DEVICEID></REQUEST>", "no CONTENT"),
        (b"<REQUEST><QUERY>INVENTORY</QUERY><CONTENT><HARDWARE/></CONTENT></REQUEST>", "DEVICEID"),
        (b"<REPLY><RESPONSE>SEND</RESPONSE></REPLY>", "root is <REPLY>"),
        (b"<REQUEST><QUERY>INVENTORY", "not well-formed"),
    ],
)
def test_incomplete_request_is_refused_with_a_reason(body, message):
    with pytest.raises(MalformedReport, match=message):
        fusion_xml.parse(body)
