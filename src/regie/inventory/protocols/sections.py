"""Section builders for the GLPI inventory format, shared by GLPI Agent JSON and
FusionInventory XML (its upper-case ancestor; where the two name a field differently, both
names are listed, JSON first). OCS XML reuses those of its sections that match.

Each builder reads one agent record and returns one report value; unknown fields are
ignored, so do sections no builder reads (controllers, local users, processes, ...).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from regie.inventory.protocols import values
from regie.inventory.protocols.records import Record, build_each, first_record
from regie.inventory.report import (
    Antivirus,
    Battery,
    Bios,
    Cpu,
    Firewall,
    Hardware,
    IpAddress,
    MemoryModule,
    Monitor,
    NetworkInterface,
    OperatingSystem,
    Printer,
    RemoteControl,
    Software,
    SoftwareList,
    Storage,
    Volume,
)

_ENCRYPTED = frozenset({"yes", "partially", "encrypted", "on", "fullyencrypted", "true", "1"})
_NOT_ENCRYPTED = frozenset({"no", "off", "fullydecrypted", "decrypted", "false", "0"})


def hardware(record: Record) -> Hardware:
    return Hardware(
        name=values.text(record.get("name")),
        uuid=values.text(record.get("uuid")),
        chassis_type=values.text(record.get("chassis_type")),
        vm_system=values.text(record.get("vmsystem")),
        workgroup=values.text(record.get("workgroup")),
        memory_mib=values.integer(record.get("memory")),
        swap_mib=values.integer(record.get("swap")),
        default_gateway=values.text(record.get("defaultgateway")),
        dns_servers=values.split_list(record.get("dns")),
        last_logged_user=values.text(record.get("lastloggeduser")),
    )


def bios(record: Record) -> Bios:
    return Bios(
        serial=values.text(record.get("ssn")),
        manufacturer=values.text(record.get("smanufacturer")),
        model=values.text(record.get("smodel")),
        # dmidecode writes BIOS dates month first; GLPI Agent JSON already has ISO dates.
        date=values.date(record.get("bdate"), day_first=False),
        version=values.text(record.get("bversion")),
        bios_manufacturer=values.text(record.get("bmanufacturer")),
        asset_tag=values.text(record.get("assettag")),
        sku=values.text(record.get("skunumber")),
        motherboard_manufacturer=values.text(record.get("mmanufacturer")),
        motherboard_model=values.text(record.get("mmodel")),
        motherboard_serial=values.text(record.get("msn")),
    )


def local_zone(operating_system: Record) -> dt.timezone:
    """The agent's time zone, which its local timestamps are written in; UTC if unknown."""
    return values.utc_offset(operating_system.child("timezone").get("offset")) or dt.UTC


def operating_system(record: Record, zone: dt.timezone) -> OperatingSystem:
    return OperatingSystem(
        name=values.text(record.get("name")),
        full_name=values.text(record.get("full_name")),
        version=values.text(record.get("version")),
        build=values.text(record.get("kernel_version")),
        kernel_name=values.text(record.get("kernel_name")),
        service_pack=values.text(record.get("service_pack")),
        architecture=values.text(record.get("arch", "architecture")),
        install_date=values.instant(record.get("install_date"), local_zone=zone),
        last_boot=values.instant(record.get("boot_time"), local_zone=zone),
        fqdn=values.text(record.get("fqdn")),
        dns_domain=values.text(record.get("dns_domain")),
    )


def cpu(record: Record) -> Cpu:
    return Cpu(
        name=values.text(record.get("name")),
        manufacturer=values.text(record.get("manufacturer")),
        architecture=values.text(record.get("arch")),
        cores=values.integer(record.get("core", "corecount")),
        threads=values.integer(record.get("thread")),
        speed_mhz=values.integer(record.get("speed")),
        serial=values.text(record.get("serial")),
    )


def memory_module(record: Record) -> MemoryModule:
    return MemoryModule(
        capacity_mib=values.integer(record.get("capacity")),
        type=values.text(record.get("type")),
        speed=values.text(record.get("speed")),
        slot=values.integer(record.get("numslots")),
        serial=values.text(record.get("serialnumber")),
        manufacturer=values.text(record.get("manufacturer")),
        description=values.text(record.get("description", "caption")),
    )


def storage(record: Record) -> Storage:
    return Storage(
        name=values.text(record.get("name")),
        model=values.text(record.get("model")),
        manufacturer=values.text(record.get("manufacturer")),
        serial=values.text(record.get("serial", "serialnumber")),
        size_mib=values.mib_from_mb(record.get("disksize")),
        type=values.text(record.get("type")),
        interface=values.text(record.get("interface")),
        firmware=values.text(record.get("firmware")),
        description=values.text(record.get("description")),
    )


def encrypted(status: object) -> bool | None:
    lowered = values.lower_text(status)
    if lowered is None:
        return None
    compact = lowered.replace(" ", "")
    if compact in _ENCRYPTED:
        return True
    return False if compact in _NOT_ENCRYPTED else None


def volume(record: Record) -> Volume:
    status = record.get("encrypt_status")
    return Volume(
        # Unix agents put the mount point in TYPE; Windows ones the drive letter in LETTER.
        mount_point=values.text(record.get("letter", "type")),
        device=values.text(record.get("volumn")),
        label=values.text(record.get("label")),
        filesystem=values.text(record.get("filesystem")),
        total_mib=values.integer(record.get("total")),
        free_mib=values.integer(record.get("free")),
        serial=values.text(record.get("serial")),
        encrypted=encrypted(status),
        encryption_name=values.text(record.get("encrypt_name")),
        encryption_status=values.text(status),
    )


def ip_addresses(record: Record) -> tuple[IpAddress, ...]:
    """The IPv4 and IPv6 address of one NETWORKS record (agents send one of each at most)."""
    found = []
    for address_key, mask_key in (("ipaddress", "ipmask"), ("ipaddress6", "ipmask6")):
        address = values.ip_address(record.get(address_key))
        if address is not None:
            length = values.prefix_length(record.get(mask_key), address.version)
            found.append(IpAddress(str(address), address.version, length))
    return tuple(found)


def network_interface(record: Record) -> NetworkInterface:
    return NetworkInterface(
        description=values.text(record.get("description")),
        mac=values.mac_address(record.get("mac", "macaddr")),
        type=values.lower_text(record.get("type")),
        virtual=values.boolean(record.get("virtualdev")),
        status=values.lower_text(record.get("status")),
        speed=values.text(record.get("speed")),
        driver=values.text(record.get("driver")),
        gateway=values.text(record.get("ipgateway")),
        dhcp_server=values.text(record.get("ipdhcp")),
        addresses=ip_addresses(record),
    )


def merge_interfaces(interfaces: Iterable[NetworkInterface]) -> tuple[NetworkInterface, ...]:
    """One interface per (description, MAC): agents repeat it once per address."""
    merged: dict[tuple[str | None, str | None], NetworkInterface] = {}
    for interface in interfaces:
        key = (interface.description, interface.mac)
        known = merged.get(key)
        if known is None:
            merged[key] = interface
            continue
        addresses = known.addresses + tuple(
            address for address in interface.addresses if address not in known.addresses
        )
        merged[key] = NetworkInterface(
            description=known.description,
            mac=known.mac,
            type=known.type or interface.type,
            virtual=known.virtual if known.virtual is not None else interface.virtual,
            status=known.status or interface.status,
            speed=known.speed or interface.speed,
            driver=known.driver or interface.driver,
            gateway=known.gateway or interface.gateway,
            dhcp_server=known.dhcp_server or interface.dhcp_server,
            addresses=addresses,
        )
    return tuple(merged.values())


def software(record: Record, *, day_first: bool = True) -> Software | None:
    name = values.collapsed_text(record.get("name"))
    if name is None:
        return None
    return Software(
        name=name,
        version=values.collapsed_text(record.get("version")),
        publisher=values.collapsed_text(record.get("publisher")),
        architecture=values.text(record.get("arch", "architecture")),
        install_date=values.date(record.get("install_date", "installdate"), day_first=day_first),
        source=values.text(record.get("from")),
        guid=values.text(record.get("guid")),
    )


def _present(fields: Mapping[str, Any], *keys: str) -> object:
    for key in keys:
        value = fields.get(key)
        if value is not None and value != "":
            return value
    return None


def software_list(value: object, *, day_first: bool = True) -> tuple[Software, ...]:
    """``software`` applied to every record of a software section, reading the records'
    fields directly: a section holds hundreds of programs and this is the hot loop of
    parsing. ``test_software_list_matches_software_per_record`` keeps both in step."""
    collapsed, text, date = values.collapsed_text, values.text, values.date
    programs = []
    for fields in value if isinstance(value, list) else [value]:
        if not isinstance(fields, Mapping):
            continue
        name = collapsed(fields.get("name"))
        if name is None:
            continue
        programs.append(
            Software(
                name=name,
                version=collapsed(fields.get("version")),
                publisher=collapsed(fields.get("publisher")),
                architecture=text(_present(fields, "arch", "architecture")),
                install_date=date(
                    _present(fields, "install_date", "installdate"), day_first=day_first
                ),
                source=text(fields.get("from")),
                guid=text(fields.get("guid")),
            )
        )
    return tuple(programs)


def antivirus(record: Record) -> Antivirus:
    return Antivirus(
        name=values.text(record.get("name")),
        company=values.text(record.get("company")),
        version=values.text(record.get("version")),
        enabled=values.boolean(record.get("enabled")),
        up_to_date=values.boolean(record.get("uptodate")),
        expiration=values.date(record.get("expiration")),
    )


def firewall(record: Record) -> Firewall:
    status = values.lower_text(record.get("status"))
    return Firewall(
        status=status,
        enabled=values.boolean(status),
        profile=values.text(record.get("profile")),
        description=values.text(record.get("description")),
    )


def monitor(record: Record) -> Monitor:
    return Monitor(
        name=values.text(record.get("name", "caption")),
        manufacturer=values.text(record.get("manufacturer")),
        serial=values.text(record.get("serial")),
        description=values.text(record.get("description")),
        port=values.text(record.get("port")),
    )


def printer(record: Record) -> Printer:
    return Printer(
        name=values.text(record.get("name")),
        driver=values.text(record.get("driver")),
        port=values.text(record.get("port")),
        serial=values.text(record.get("serial")),
        network=values.boolean(record.get("network")),
        shared=values.boolean(record.get("shared")),
    )


def battery(record: Record) -> Battery:
    return Battery(
        name=values.text(record.get("name")),
        manufacturer=values.text(record.get("manufacturer")),
        serial=values.text(record.get("serial")),
        chemistry=values.text(record.get("chemistry")),
        capacity_mwh=values.integer(record.get("capacity", "designcapacity")),
        real_capacity_mwh=values.integer(record.get("real_capacity")),
        voltage_mv=values.integer(record.get("voltage", "designvoltage")),
        manufacture_date=values.date(record.get("date", "manufacturedate")),
    )


def remote_control(record: Record) -> RemoteControl | None:
    kind = values.lower_text(record.get("type"))
    identifier = values.text(record.get("id"))
    if kind is None or identifier is None:
        return None
    return RemoteControl(type=kind, id=identifier)


def user_login(record: Record) -> str | None:
    login = values.text(record.get("login"))
    domain = values.text(record.get("domain"))
    if login is None:
        return None
    return f"{domain}\\{login}" if domain else login


def agent_version(client: object) -> tuple[str | None, str | None]:
    """("GLPI-Agent", "1.12-dev") from "GLPI-Agent_v1.12-dev"."""
    raw = values.text(client)
    if raw is None:
        return None, None
    name, separator, version = raw.partition("_v")
    return (name, version or None) if separator else (None, raw)


def section_digest(value: object) -> str | None:
    """A fingerprint of a section exactly as sent (JSON values, or XML read as dicts);
    None when absent or when orjson cannot serialise it as is."""
    if value is None:
        return None
    try:
        serialised = orjson.dumps(value)
    except orjson.JSONEncodeError:  # e.g. an integer beyond 64 bits, read by ``json``
        return None
    return hashlib.blake2b(serialised, digest_size=20).hexdigest()


def lazy_software(value: object) -> SoftwareList:
    """The software section as a list built on first use, with the section's digest."""
    return SoftwareList(lambda: software_list(value), section_digest(value))


def computer_components(content: Mapping[str, Any], zone: dt.timezone) -> dict[str, Any]:
    """The report's component fields from a GLPI-format content (lower-case keys)."""
    networks = build_each(content.get("networks"), network_interface)
    return {
        "operating_system": operating_system(first_record(content.get("operatingsystem")), zone),
        "cpus": build_each(content.get("cpus"), cpu),
        "memories": build_each(content.get("memories"), memory_module),
        "storages": build_each(content.get("storages"), storage),
        "volumes": build_each(content.get("drives"), volume),
        "networks": merge_interfaces(networks),
        "software": lazy_software(content.get("softwares")),
        "antivirus": build_each(content.get("antivirus"), antivirus),
        "firewalls": build_each(content.get("firewalls", content.get("firewall")), firewall),
        "users": build_each(content.get("users"), user_login),
        "monitors": build_each(content.get("monitors"), monitor),
        "printers": build_each(content.get("printers"), printer),
        "batteries": build_each(content.get("batteries"), battery),
        "remote_controls": build_each(content.get("remote_mgmt"), remote_control),
    }
