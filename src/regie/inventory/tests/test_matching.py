import dataclasses
import datetime as dt

import pytest

from regie.assets.models import Asset
from regie.core.history import history_of
from regie.inventory.applying import apply_report
from regie.inventory.junk import identifying_mac, real_serial, real_uuid
from regie.inventory.matching import MatchRule, match_report
from regie.inventory.report import (
    AgentInfo,
    Bios,
    Hardware,
    InventoryReport,
    IpAddress,
    NetworkInterface,
    Protocol,
)

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
WIFI = NetworkInterface(description="Intel Wi-Fi 6 AX201", mac="44:85:00:2b:90:bc", virtual=False)
DOCK = NetworkInterface(
    description="Realtek USB GbE Family Controller", mac="00:e0:4c:68:01:db", virtual=False
)


def laptop(
    name="PORT-DG", serial="640HP72", uuid="4c4c4544-0034-3010-8048-b6c04f503732", nets=(WIFI,)
):
    return InventoryReport(
        agent=AgentInfo(device_id=f"{name}-agent", protocol=Protocol.GLPI_JSON),
        hardware=Hardware(name=name, uuid=uuid, chassis_type="Laptop", vm_system="Physical"),
        bios=Bios(serial=serial, manufacturer="Dell Inc.", model="XPS 13 9350"),
        networks=nets,
    )


def with_ip(interface, address):
    return dataclasses.replace(interface, addresses=(IpAddress(address, 4, 24),))


@pytest.fixture
def known_laptop(db):
    return apply_report(report=laptop(nets=(with_ip(WIFI, "10.1.2.3"),)), now=NOW).asset


def test_new_laptop_is_a_laptop_asset(known_laptop):
    assert known_laptop.asset_type.kind == "laptop"
    assert known_laptop.inventory_number == f"PORT-{known_laptop.pk:06d}"


def test_renamed_laptop_stays_one_asset(known_laptop):
    outcome = apply_report(report=laptop(name="PORT-DG-2027"), now=NOW)

    assert (outcome.asset, outcome.matched_rule) == (known_laptop, MatchRule.SERIAL_AND_UUID)
    assert Asset.objects.get().name == "PORT-DG-2027"


def test_changed_network_card_stays_one_asset(known_laptop):
    new_card = NetworkInterface(description="Intel AX211", mac="9c:b6:d0:11:22:33", virtual=False)

    outcome = apply_report(report=laptop(nets=(new_card,)), now=NOW)

    assert (outcome.asset, outcome.matched_rule) == (known_laptop, MatchRule.SERIAL_AND_UUID)
    assert list(known_laptop.network_interfaces.values_list("mac", flat=True)) == [
        "9c:b6:d0:11:22:33"
    ]


def test_docked_laptop_stays_one_asset(known_laptop):
    outcome = apply_report(report=laptop(nets=(WIFI, DOCK)), now=NOW)

    assert (outcome.asset, outcome.matched_rule) == (known_laptop, MatchRule.SERIAL_AND_UUID)
    assert Asset.objects.count() == 1
    assert known_laptop.network_interfaces.get(mac=DOCK.mac).virtual is True


def test_other_laptop_on_the_same_dock_is_another_asset(known_laptop):
    apply_report(report=laptop(nets=(WIFI, DOCK)), now=NOW)
    other = laptop(name="PORT-RH", serial="7XK2M93", uuid=None, nets=(DOCK,))

    outcome = apply_report(report=other, now=NOW)

    assert outcome.created is True
    assert Asset.objects.count() == 2


def test_report_from_home_stays_one_asset(known_laptop):
    outcome = apply_report(report=laptop(nets=(with_ip(WIFI, "192.168.1.20"),)), now=NOW)

    assert (outcome.asset, outcome.matched_rule) == (known_laptop, MatchRule.SERIAL_AND_UUID)
    ip_change = history_of(known_laptop).get(field="ip_addresses", old_value="10.1.2.3")
    assert ip_change.new_value == "192.168.1.20"


def test_same_ip_is_never_evidence(known_laptop):
    stranger = laptop(name="AUTRE", serial=None, uuid=None, nets=(with_ip(DOCK, "10.1.2.3"),))

    assert match_report(report=stranger) == (None, None)


def test_cloned_uuid_with_different_serials_stays_two_assets(known_laptop):
    clone = laptop(name="PORT-CLONE", serial="9ZZ8YY7")

    outcome = apply_report(report=clone, now=NOW)

    assert outcome.created is True
    assert Asset.objects.count() == 2
    assert outcome.asset.serial_number == "9ZZ8YY7"
    assert outcome.asset.hardware_uuid == ""  # the first machine keeps the cloned UUID
    again = apply_report(report=clone, now=NOW)
    assert (again.asset, again.matched_rule) == (outcome.asset, MatchRule.SERIAL)


def test_junk_serial_with_real_mac_matches_by_mac(db):
    first = apply_report(report=laptop(serial="To be filled by O.E.M.", uuid=None), now=NOW)
    renamed = laptop(name="NOUVEAU-NOM", serial="To be filled by O.E.M.", uuid=None)

    outcome = apply_report(report=renamed, now=NOW)

    assert first.asset.serial_number == ""
    assert (outcome.asset, outcome.matched_rule) == (first.asset, MatchRule.MAC)


def test_nothing_matches_gives_a_new_asset(known_laptop):
    stranger = laptop(name="POSTE-MAIRIE", serial="CZC1234XYZ", uuid=None, nets=())

    assert match_report(report=stranger) == (None, None)
    assert apply_report(report=stranger, now=NOW).created is True


def test_uuid_alone_matches_when_serial_is_junk(known_laptop):
    report = laptop(name="X", serial="Default string", nets=())

    assert match_report(report=report) == (known_laptop, MatchRule.UUID)


def test_rules_are_configurable(known_laptop):
    report = laptop(serial=None, uuid=None, nets=())

    assert match_report(report=report, rules=(MatchRule.SERIAL,)) == (None, None)
    assert match_report(report=report, rules=(MatchRule.NAME,)) == (known_laptop, MatchRule.NAME)


@pytest.mark.parametrize(
    "serial",
    [
        "To be filled by O.E.M.",
        "Default string",
        "System Serial Number",
        "0123456789",
        "None",
        "00000000",
        "AAAAAAA",
        "123",
        "  ",
        "Not Specified",
    ],
)
def test_junk_serials_are_ignored(serial):
    assert real_serial(serial) is None


@pytest.mark.parametrize(
    "uuid",
    [
        "00000000-0000-0000-0000-000000000000",
        "03000200-0400-0500-0006-000700080009",
        "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
    ],
)
def test_placeholder_uuids_are_ignored(uuid):
    assert real_uuid(uuid) is None


@pytest.mark.parametrize(
    "interface",
    [
        NetworkInterface(description="eth0", mac="00:50:56:c0:00:08"),  # VMware
        NetworkInterface(description="eth1", mac="08:00:27:12:34:56"),  # VirtualBox
        NetworkInterface(description="vEthernet", mac="00:15:5d:01:02:03"),  # Hyper-V
        NetworkInterface(description="docker0", mac="02:42:ac:11:00:02"),
        NetworkInterface(description="tun0", mac="9c:b6:d0:11:22:34"),
        NetworkInterface(description="TAP-Windows Adapter V9", mac="00:ff:12:34:56:78"),
        NetworkInterface(description="lo", mac="00:00:00:00:00:00", type="loopback"),
        NetworkInterface(description="eth0", mac="02:fc:00:00:00:01"),  # locally administered
        NetworkInterface(description="Dell Thunderbolt Dock", mac="9c:b6:d0:11:22:35"),
        NetworkInterface(description="Intel AX201", mac="9c:b6:d0:11:22:36", virtual=True),
    ],
)
def test_virtual_vpn_and_dock_macs_are_ignored(interface):
    assert identifying_mac(interface) is None


def test_physical_mac_identifies():
    assert identifying_mac(WIFI) == "44:85:00:2b:90:bc"
