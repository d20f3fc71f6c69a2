"""Values agents report that identify nothing: placeholder serials, UUIDs and MACs.

Firmware vendors ship boards with template SMBIOS strings, hypervisors and VPN clients invent
MAC addresses, and docking stations lend the same network card to every laptop plugged into
them. Matching on any of these would merge different machines into one asset, so the matcher
ignores them (``real_serial``, ``real_uuid``, ``identifying_mac``).
"""

from __future__ import annotations

import re

from regie.inventory.report import NetworkInterface

MIN_SERIAL_LENGTH = 4

# Compared case-folded, with spaces collapsed. Seen in the wild on OEM and white-box boards.
JUNK_SERIALS = frozenset(
    {
        "to be filled by o.e.m.",
        "to be filled by o.e.m",
        "to be filled by oem",
        "default string",
        "system serial number",
        "chassis serial number",
        "base board serial number",
        "serial number",
        "serialnumber",
        "serial",
        "0123456789",
        "1234567890",
        "123456789",
        "12345678",
        "none",
        "null",
        "n/a",
        "na",
        "not applicable",
        "not specified",
        "not available",
        "unknown",
        "invalid",
        "default",
        "empty",
        "oem",
        "o.e.m.",
        "system product name",
        "type1productconfigid",
        "xxxxxxxxxx",
    }
)
_JUNK_SERIAL_FRAGMENTS = ("filled by o.e.m", "filled by oem", "serial number")

JUNK_UUIDS = frozenset(
    {
        "00000000-0000-0000-0000-000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff",
        "03000200-0400-0500-0006-000700080009",  # AMI BIOS template
        "00020003-0004-0005-0006-000700080009",  # the same template, other byte order
        "12345678-1234-5678-90ab-cddeefaabbcc",  # Supermicro/Gigabyte template
        "01234567-8901-2345-6789-012345678901",
    }
)
MIN_UUID_LENGTH = 8

JUNK_MACS = frozenset(
    {
        "00:00:00:00:00:00",
        "ff:ff:ff:ff:ff:ff",
        "20:41:53:59:4e:ff",  # Windows RAS async adapter ("WAN Miniport")
        "50:50:54:50:30:30",  # Windows WAN Miniport (PPTP)
        "00:53:45:00:00:00",  # Windows WAN Miniport (IP)
    }
)
# Organisationally unique identifiers of virtual and VPN adapters.
VIRTUAL_MAC_PREFIXES = (
    "00:05:69",  # VMware
    "00:0c:29",  # VMware
    "00:1c:14",  # VMware
    "00:50:56",  # VMware
    "08:00:27",  # VirtualBox
    "0a:00:27",  # VirtualBox host-only
    "00:15:5d",  # Hyper-V
    "00:03:ff",  # Microsoft Virtual PC / Hyper-V
    "00:16:3e",  # Xen
    "00:1c:42",  # Parallels
    "52:54:00",  # QEMU/KVM
    "02:42",  # Docker bridges
    "00:ff",  # OpenVPN TAP-Windows
    "00:05:9a",  # Cisco AnyConnect virtual adapter
    "00:09:0f:fe",  # FortiClient virtual adapter
)
# Interface names or descriptions of virtual, VPN, tunnel and docking-station adapters.
_NOT_A_MACHINE_INTERFACE = re.compile(
    r"^(lo|docker|veth|virbr|vmnet|vboxnet|br-|tun|tap|wg|ifb|utun|ppp|zt|tailscale)"
    r"|loopback|virtual|vpn|tap-windows|wireguard|anyconnect|fortinet|forticlient|pangp"
    r"|hyper-v|vmware|virtualbox|miniport|teredo|isatap|bluetooth|tunnel"
    r"|dock|thunderbolt|usb",
    re.IGNORECASE,
)


def _collapsed(value: str) -> str:
    return " ".join(value.split()).casefold()


def _one_repeated_character(value: str) -> bool:
    significant = re.sub(r"[\s\-:._]", "", value)
    return len(set(significant)) <= 1


def real_serial(value: str | None) -> str | None:
    """``value`` stripped, or None when it is a placeholder that identifies no machine."""
    if value is None:
        return None
    serial = value.strip()
    folded = _collapsed(serial)
    if (
        len(serial) < MIN_SERIAL_LENGTH
        or folded in JUNK_SERIALS
        or any(fragment in folded for fragment in _JUNK_SERIAL_FRAGMENTS)
        or _one_repeated_character(serial)
    ):
        return None
    return serial


def real_uuid(value: str | None) -> str | None:
    """The hardware UUID lower-cased, or None when it is a known placeholder."""
    if value is None:
        return None
    uuid = value.strip().lower()
    if len(uuid) < MIN_UUID_LENGTH or uuid in JUNK_UUIDS or _one_repeated_character(uuid):
        return None
    return uuid


def _locally_administered_or_multicast(mac: str) -> bool:
    try:
        first_octet = int(mac[:2], 16)
    except ValueError:
        return True
    return bool(first_octet & 0b11)


def identifying_mac(interface: NetworkInterface) -> str | None:
    """The interface's MAC if it can tell one machine from another, else None.

    Virtual, VPN, tunnel, loopback and docking-station (USB, Thunderbolt) adapters do not
    belong to one machine; nor do locally administered addresses (the agent, the hypervisor
    or the OS made them up) or the placeholders in ``JUNK_MACS``.
    """
    mac = interface.mac
    if mac is None or interface.virtual:
        return None
    if (
        len(mac) != len("00:00:00:00:00:00")
        or mac in JUNK_MACS
        or mac.startswith(VIRTUAL_MAC_PREFIXES)
        or _locally_administered_or_multicast(mac)
        or interface.type == "loopback"
    ):
        return None
    if interface.description and _NOT_A_MACHINE_INTERFACE.search(interface.description):
        return None
    return mac


JUNK_NAMES = frozenset({"localhost", "localhost.localdomain", "(none)", "unknown", "none"})


def real_name(value: str | None) -> str | None:
    """The host name, or None when it is one every unconfigured machine has."""
    if value is None:
        return None
    name = value.strip()
    if not name or name.casefold() in JUNK_NAMES:
        return None
    return name
