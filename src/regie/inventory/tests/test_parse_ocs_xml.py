import datetime as dt

from regie.inventory.protocols import ocs_xml
from regie.inventory.protocols.messages import MessageKind
from regie.inventory.report import IpAddress, Protocol, Section, Software
from regie.inventory.tests.fixtures import capture


def test_inventory_capture_gives_identity_os_and_software():
    report = ocs_xml.parse(capture("ocs-inventory.xml"))

    assert report.agent.device_id == "vm-2026-11-30-08-39-07"
    assert report.agent.protocol is Protocol.OCS_XML
    assert report.sections == frozenset(Section)
    assert report.hardware.name == "vm"
    assert report.hardware.workgroup == "WORKGROUP"
    assert report.bios.serial is None  # <BIOS> is empty on this VM
    assert report.operating_system.name == "Debian GNU/Linux 12"
    assert report.operating_system.version == "12"
    assert report.operating_system.full_name == "Debian GNU/Linux 12 (bookworm)"
    assert report.operating_system.architecture == "x86_64"
    assert report.operating_system.install_date is None  # "1970-00-01"
    assert report.memory_total_mib == 24105
    assert len(report.software) == 784
    assert report.software[2] == Software(
        name="alsa-topology-conf",
        version="1.2.5.1-2",
        publisher="https://www.alsa-project.org/",
        architecture="all",
        install_date=dt.date(2025, 5, 24),
        source="deb",
    )
    assert report.cpus[0].name == "AMD EPYC"
    assert report.cpus[0].architecture == "x86_64"
    assert report.volumes[0].free_mib == 81293
    assert report.storages[0].size_mib == 262144  # 274877.906944 decimal MB = 256 GiB


def test_ipv6_address_in_ipaddress_field_is_read_as_ipv6():
    report = ocs_xml.parse(capture("ocs-inventory.xml"))

    eth0 = next(interface for interface in report.networks if interface.description == "eth0")
    assert eth0.mac == "02:fc:00:00:00:01"
    assert eth0.gateway == "192.0.2.1"
    assert eth0.addresses == (
        IpAddress("192.0.2.2", 4, 24),
        IpAddress("fe80::fc:ff:fe00:1", 6, 64),
    )


def test_prolog_is_recognised():
    message = ocs_xml.recognise(capture("ocs-prolog.xml"))

    assert message.kind is MessageKind.PROLOG
    assert message.device_id == "vm-2026-11-30-08-39-07"


def test_tag_is_read_from_account_info():
    body = (
        b"<REQUEST><CONTENT><HARDWARE><NAME>pc-1</NAME></HARDWARE>"
        b"<ACCOUNTINFO><KEYNAME>TAG</KEYNAME><KEYVALUE>mairie</KEYVALUE></ACCOUNTINFO>"
        b"</CONTENT><DEVICEID>pc-1-2026-01-01-00-00-00</DEVICEID><QUERY>INVENTORY</QUERY>"
        b"</REQUEST>"
    )

    report = ocs_xml.parse(body)

    assert report.agent.tag == "mairie"
    assert report.hardware.name == "pc-1"


def test_latin1_declared_document_is_decoded():
    body = (
        "<?xml version='1.0' encoding='ISO-8859-1'?><REQUEST><CONTENT><HARDWARE>"
        "<NAME>poste-secrétariat</NAME></HARDWARE></CONTENT><DEVICEID>d</DEVICEID>"
        "<QUERY>INVENTORY</QUERY></REQUEST>"
    ).encode("latin-1")

    report = ocs_xml.parse(body)

    assert report.hardware.name == "poste-secrétariat"
    assert report.warnings == ()
