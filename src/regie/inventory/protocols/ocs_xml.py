"""OCS Inventory unix agent XML: ``<REQUEST>`` with QUERY PROLOG or INVENTORY.

Same envelope as FusionInventory; the differences in CONTENT (protocols.md §1.3):
no OPERATINGSYSTEM section (the OS is in HARDWARE: OSNAME, OSVERSION, OSCOMMENTS,
INSTALLDATE; the architecture leads HARDWARE/DESCRIPTION), CPUS name the model TYPE and
count CORES/LOGICAL_CPUS, SOFTWARES say ARCHITECTURE and INSTALLDATE "YYYY/MM/DD HH:MM:SS",
NETWORKS put IPv6 addresses in IPADDRESS, no VERSIONCLIENT, the tag in ACCOUNTINFO.
The last boot time is not reported. Sections no builder reads are ignored.
"""

from __future__ import annotations

from typing import Any

from regie.inventory.protocols import fusion_xml, sections, values
from regie.inventory.protocols.fusion_xml import recognise as recognise
from regie.inventory.protocols.records import Record, build_each, first_record
from regie.inventory.report import AgentInfo, Cpu, InventoryReport, OperatingSystem, Protocol
from regie.inventory.safe_xml import parse_xml


def operating_system(hardware: Record) -> OperatingSystem:
    description = values.text(hardware.get("description")) or ""
    return OperatingSystem(
        name=values.text(hardware.get("osname")),
        full_name=values.text(hardware.get("oscomments")),
        version=values.text(hardware.get("osversion")),
        architecture=values.text(description.partition("/")[0]),
        install_date=values.instant(hardware.get("installdate")),
    )


def cpu(record: Record) -> Cpu:
    return Cpu(
        name=values.text(record.get("type", "name")),
        manufacturer=values.text(record.get("manufacturer")),
        architecture=values.text(record.get("cpuarch")),
        cores=values.integer(record.get("cores")),
        threads=values.integer(record.get("logical_cpus", "threads")),
        speed_mhz=values.integer(record.get("speed", "current_speed")),
        serial=values.text(record.get("serialnumber")),
    )


def _tag(request: Record, content: dict[str, Any]) -> str | None:
    for info in (first_record(content.get("accountinfo")), request.child("accountinfo")):
        if values.text(info.get("keyname")) == "TAG":
            return values.text(info.get("keyvalue"))
    return None


def parse(data: bytes) -> InventoryReport:
    """The report in ``data``, a decompressed OCS agent INVENTORY request."""
    parsed = parse_xml(data)
    request = Record(fusion_xml.request_fields(parsed.root))
    content = fusion_xml.inventory_content(request)
    hardware = first_record(content.get("hardware"))
    components = sections.computer_components(content, sections.local_zone(Record({})))
    components["cpus"] = build_each(content.get("cpus"), cpu)
    components["operating_system"] = operating_system(hardware)
    agent = AgentInfo(
        device_id=values.text(request.get("deviceid")) or "",
        protocol=Protocol.OCS_XML,
        tag=_tag(request, content),
    )
    return InventoryReport(
        agent=agent,
        hardware=sections.hardware(hardware),
        bios=sections.bios(first_record(content.get("bios"))),
        warnings=parsed.warnings,
        **components,
    )
