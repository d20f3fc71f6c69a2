"""GLPI Agent native JSON: CONTACT and inventory messages (full and ``"partial": true``).

Also accepts ``netinventory`` messages (network equipment and printers) of the GLPI
inventory format, reading the device's name, serial, model and MAC from ``network_device``;
their ports, cartridges and page counters are ignored for now.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from regie.inventory.exceptions import MalformedReport
from regie.inventory.protocols import sections, values
from regie.inventory.protocols.messages import AgentMessage, MessageKind
from regie.inventory.protocols.records import Record, first_record
from regie.inventory.report import (
    AgentInfo,
    Bios,
    Hardware,
    InventoryReport,
    NetworkInterface,
    Protocol,
    Section,
)
from regie.inventory.safe_json import parse_json

INVENTORY_ACTIONS = frozenset({"inventory", "netinventory"})

# Content key → report section, for the sections a partial inventory may carry.
SECTION_KEYS: Mapping[str, Section] = {
    "hardware": Section.HARDWARE,
    "bios": Section.BIOS,
    "operatingsystem": Section.OPERATING_SYSTEM,
    "cpus": Section.CPUS,
    "memories": Section.MEMORIES,
    "storages": Section.STORAGES,
    "drives": Section.VOLUMES,
    "networks": Section.NETWORKS,
    "softwares": Section.SOFTWARE,
    "antivirus": Section.ANTIVIRUS,
    "firewalls": Section.FIREWALLS,
    "users": Section.USERS,
    "monitors": Section.MONITORS,
    "printers": Section.PRINTERS,
    "batteries": Section.BATTERIES,
    "remote_mgmt": Section.REMOTE_CONTROLS,
    "network_device": Section.HARDWARE,
}


def message_kind(document: Mapping[str, Any]) -> MessageKind:
    action = document.get("action", "inventory")  # the schema's default
    if action == "contact":
        return MessageKind.CONTACT
    if action in INVENTORY_ACTIONS:
        return MessageKind.INVENTORY
    return MessageKind.OTHER


def recognise(data: bytes) -> AgentMessage:
    """What ``data`` (a decompressed JSON body) is; raises ``MalformedReport``."""
    document = parse_json(data).document
    return AgentMessage(
        kind=message_kind(document),
        device_id=values.text(document.get("deviceid")),
        query=values.text(document.get("action")),
    )


def _agent(document: Mapping[str, Any], content: Record) -> AgentInfo:
    name, version = sections.agent_version(content.get("versionclient"))
    return AgentInfo(
        device_id=values.text(document.get("deviceid")) or "",
        protocol=Protocol.GLPI_JSON,
        name=name,
        version=version,
        tag=values.text(document.get("tag")),
        item_type=values.text(document.get("itemtype")),
    )


def _sections(document: Mapping[str, Any], content: Mapping[str, Any]) -> frozenset[Section]:
    if document.get("partial") is not True:
        return frozenset(Section)
    return frozenset(section for key, section in SECTION_KEYS.items() if key in content)


def _network_device(content: Mapping[str, Any]) -> tuple[Hardware, Bios, NetworkInterface | None]:
    """The identity of a switch or printer (``netinventory``)."""
    device = first_record(content.get("network_device"))
    info = device.child("info") if "info" in device else device
    mac = values.mac_address(info.get("mac"))
    interface = NetworkInterface(description="management", mac=mac) if mac else None
    hardware = Hardware(name=values.text(info.get("name")), uuid=values.text(info.get("uuid")))
    bios = Bios(
        serial=values.text(info.get("serial")),
        manufacturer=values.text(info.get("manufacturer")),
        model=values.text(info.get("model")),
    )
    return hardware, bios, interface


def _hardware_and_bios(content: Mapping[str, Any]) -> dict[str, Any]:
    if "network_device" in content and "hardware" not in content:
        hardware, bios, interface = _network_device(content)
        return {"hardware": hardware, "bios": bios, "networks": (interface,) if interface else ()}
    return {
        "hardware": sections.hardware(first_record(content.get("hardware"))),
        "bios": sections.bios(first_record(content.get("bios"))),
    }


def report_from_document(
    document: Mapping[str, Any], warnings: tuple[str, ...] = ()
) -> InventoryReport:
    """The report in an already parsed inventory message."""
    if message_kind(document) is not MessageKind.INVENTORY:
        action = values.text(document.get("action"))
        raise MalformedReport(f"The message is a {action!r} request, not an inventory.")
    content = document.get("content")
    if not isinstance(content, Mapping):
        raise MalformedReport("The inventory has no content object.")
    if values.text(document.get("deviceid")) is None:
        raise MalformedReport("The inventory has no deviceid.")
    zone = sections.local_zone(first_record(content.get("operatingsystem")))
    components = sections.computer_components(content, zone)
    components.update(_hardware_and_bios(content))  # netinventory adds its management MAC
    return InventoryReport(
        agent=_agent(document, Record(content)),
        partial=document.get("partial") is True,
        sections=_sections(document, content),
        inventoried_at=values.instant(
            first_record(content.get("accesslog")).get("logdate"), local_zone=zone
        ),
        warnings=warnings,
        **components,
    )


def parse(data: bytes) -> InventoryReport:
    """The report in ``data``, a decompressed GLPI Agent JSON inventory message."""
    parsed = parse_json(data)
    return report_from_document(parsed.document, parsed.warnings)
