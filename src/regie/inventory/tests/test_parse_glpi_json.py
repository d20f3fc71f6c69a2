import datetime as dt

import pytest

from regie.inventory.exceptions import MalformedReport
from regie.inventory.protocols import glpi_json
from regie.inventory.protocols.messages import MessageKind
from regie.inventory.report import (
    IpAddress,
    Protocol,
    RemoteControl,
    Section,
    Software,
    Volume,
)
from regie.inventory.tests.fixtures import capture, glpi_example_paths, read_fixture


def test_full_capture_gives_identity_os_and_software():
    report = glpi_json.parse(capture("glpiagent-inventory-full.json"))

    assert report.agent.device_id == "vm-2026-11-30-08-40-03"
    assert report.agent.protocol is Protocol.GLPI_JSON
    assert (report.agent.name, report.agent.version) == ("GLPI-Agent", "1.12-dev")
    assert report.agent.item_type == "Computer"
    assert report.partial is False
    assert report.sections == frozenset(Section)
    assert report.hardware.name == "vm"
    assert report.hardware.uuid is None
    assert report.bios.serial is None  # sent as "" on this VM
    assert report.operating_system.name == "Debian GNU/Linux"
    assert report.operating_system.version == "12.11"
    assert report.operating_system.build == "6.18.44-fc-v669"
    assert report.operating_system.last_boot == dt.datetime(2026, 11, 30, 8, 35, 39, tzinfo=dt.UTC)
    assert report.operating_system.install_date is None  # "1970-01-01 00:00:00": a placeholder
    assert report.inventoried_at == dt.datetime(2026, 11, 30, 8, 40, 3, tzinfo=dt.UTC)
    assert report.memory_total_mib == 24105
    assert len(report.software) == 827
    assert report.software[0] == Software(
        name="adduser", version="3.134", publisher="Debian", architecture="all", source="deb"
    )
    assert report.volumes == (
        Volume(
            mount_point="/", device="/dev/vda", filesystem="ext4", total_mib=258019, free_mib=80192
        ),
    )
    assert report.storages[0].size_mib == 262143  # 274877 decimal MB


def test_full_capture_merges_addresses_per_interface():
    report = glpi_json.parse(capture("glpiagent-inventory-full.json"))

    eth0 = next(interface for interface in report.networks if interface.description == "eth0")
    assert eth0.mac == "02:fc:00:00:00:01"
    assert eth0.virtual is False
    assert eth0.gateway == "192.0.2.1"
    assert eth0.addresses == (
        IpAddress("192.0.2.2", 4, 24),
        IpAddress("fd00::2", 6, 64),
        IpAddress("fe80::fc:ff:fe00:1", 6, 64),
    )
    assert [interface.description for interface in report.networks] == [
        "lo",
        "ifb0",
        "ifb1",
        "eth0",
    ]


def test_partial_capture_carries_only_its_sections():
    report = glpi_json.parse(capture("glpiagent-inventory-partial.json"))

    assert report.partial is True
    assert report.sections == {Section.HARDWARE, Section.BIOS}
    assert report.carries(Section.SOFTWARE) is False
    assert report.hardware.name == "vm"
    assert report.software == ()


def test_schema_example_partial_reports_list_their_sections():
    by_name = {path.name: path for path in glpi_example_paths()}

    softs = glpi_json.parse(read_fixture(by_name["computer_1_partial_softs.json"]))
    volumes = glpi_json.parse(read_fixture(by_name["computer_1_partial_volumes.json"]))

    assert softs.sections == {
        Section.HARDWARE,
        Section.BIOS,
        Section.OPERATING_SYSTEM,
        Section.SOFTWARE,
    }
    assert volumes.sections == {Section.HARDWARE, Section.BIOS, Section.VOLUMES}


def test_schema_example_laptop_gives_every_kind_of_component():
    path = next(p for p in glpi_example_paths() if p.name == "computer_1.json")
    report = glpi_json.parse(read_fixture(path))

    assert report.agent.tag == "000005"
    assert report.hardware.uuid == "4c4c4544-0034-3010-8048-b6c04f503732"
    assert report.hardware.chassis_type == "Laptop"
    assert report.hardware.last_logged_user == "root"
    assert (report.bios.serial, report.bios.manufacturer, report.bios.model) == (
        "640HP72",
        "Dell Inc.",
        "XPS 13 9350",
    )
    assert report.bios.date == dt.date(2016, 2, 6)
    # boot_time is local time in the reported zone (+0200): stored as UTC.
    assert report.operating_system.last_boot == dt.datetime(2020, 6, 9, 5, 58, 8, tzinfo=dt.UTC)
    assert report.volumes[0].encrypted is True
    assert report.volumes[0].encryption_name == "LUKS1"
    assert report.remote_controls == (RemoteControl(type="teamviewer", id="123456789"),)
    assert [f.enabled for f in report.firewalls] == [True]
    assert report.batteries[0].manufacture_date == dt.date(2019, 7, 6)
    assert report.monitors[0].serial == "ABH55D"
    assert report.printers[0].serial == "MY47L1W1JHEB6"
    assert report.users == ("trasher", "root")
    assert [m.capacity_mib for m in report.memories] == [4096, 4096]
    assert report.cpus[0].speed_mhz == 2300


@pytest.mark.parametrize("path", glpi_example_paths(), ids=lambda path: path.name)
def test_every_schema_example_parses(path):
    report = glpi_json.parse(read_fixture(path))

    assert report.agent.device_id != ""
    assert report.hardware.name is not None


def test_network_equipment_example_gives_name_serial_and_mac():
    path = next(p for p in glpi_example_paths() if p.name == "networkequipment_3.json")
    report = glpi_json.parse(read_fixture(path))

    assert report.agent.item_type == "NetworkEquipment"
    assert report.hardware.name == "HP-2530-48G"
    assert report.bios.serial == "CN5BFP62CP"


def test_contact_is_recognised_and_is_not_an_inventory():
    data = capture("glpiagent-contact.json")

    message = glpi_json.recognise(data)

    assert message.kind is MessageKind.CONTACT
    assert message.device_id == "vm-2026-11-30-08-40-03"
    with pytest.raises(MalformedReport, match="'contact' request, not an inventory"):
        glpi_json.parse(data)


def test_inventory_and_unknown_actions_are_recognised():
    assert glpi_json.recognise(capture("glpiagent-inventory-partial.json")).kind is (
        MessageKind.INVENTORY
    )
    assert glpi_json.recognise(b'{"action": "netdiscovery", "deviceid": "x"}').kind is (
        MessageKind.OTHER
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"action": "inventory", "deviceid": "pc-1"}', "no content object"),
        (b'{"action": "inventory", "content": {}}', "no deviceid"),
        (b'["inventory"]', "not an object"),
        (b'{"action": "inventory",', "not valid JSON"),
    ],
)
def test_incomplete_inventory_is_refused_with_a_reason(body, message):
    with pytest.raises(MalformedReport, match=message):
        glpi_json.parse(body)
