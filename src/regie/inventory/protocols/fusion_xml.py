"""FusionInventory agent XML: ``<REQUEST>`` with QUERY PROLOG or INVENTORY.

The CONTENT sections are the upper-case form of the GLPI inventory format, so they are read
with the same builders as GLPI Agent JSON (``sections``). GLPI Agent, when it talks to an
XML server, sends this format too. Sections no builder reads (controllers, local users and
groups, environment, processes, ...) are ignored.
"""

from __future__ import annotations

from typing import Any

from regie.inventory.exceptions import MalformedReport
from regie.inventory.protocols import sections, values
from regie.inventory.protocols.messages import AgentMessage, MessageKind
from regie.inventory.protocols.records import Record, element_fields, first_record
from regie.inventory.report import AgentInfo, InventoryReport, Protocol
from regie.inventory.safe_xml import parse_xml

_KINDS = {"PROLOG": MessageKind.PROLOG, "INVENTORY": MessageKind.INVENTORY}


def request_fields(root: Any) -> dict[str, Any]:
    """The children of ``<REQUEST>`` (lower-case keys); refuses any other root."""
    if root.tag != "REQUEST":
        raise MalformedReport(f"The XML root is <{root.tag}>, not <REQUEST>.")
    return element_fields(root)


def request_header(root: Any) -> Record:
    """The children of ``<REQUEST>`` except CONTENT's inside (only whether it is there).

    Enough to recognise a message: reading CONTENT into dicts costs ~2 ms on a real
    inventory, which the agent's HTTP request need not wait for.
    """
    if root.tag != "REQUEST":
        raise MalformedReport(f"The XML root is <{root.tag}>, not <REQUEST>.")
    fields: dict[str, Any] = {}
    for child in root:
        if not isinstance(child.tag, str):
            continue
        key = child.tag.lower()
        if key == "content":
            fields[key] = {}
        elif key not in fields:
            fields[key] = element_fields(child) if len(child) else (child.text or "")
    return Record(fields)


def message_kind(request: Record) -> MessageKind:
    query = values.text(request.get("query"))
    if query is None:  # OCS servers treat a request without QUERY as an inventory
        return MessageKind.INVENTORY if "content" in request else MessageKind.OTHER
    return _KINDS.get(query.upper(), MessageKind.OTHER)


def recognise(data: bytes) -> AgentMessage:
    """What ``data`` (a decompressed XML body) is; raises ``MalformedReport``."""
    request = request_header(parse_xml(data).root)
    return AgentMessage(
        kind=message_kind(request),
        device_id=values.text(request.get("deviceid")),
        query=values.text(request.get("query")),
    )


def inventory_content(request: Record) -> dict[str, Any]:
    """The CONTENT of an INVENTORY request; ``MalformedReport`` for anything else."""
    kind = message_kind(request)
    if kind is not MessageKind.INVENTORY:
        query = values.text(request.get("query"))
        raise MalformedReport(f"The request is a {query!r} query, not an inventory.")
    content = request.get("content")
    if not isinstance(content, dict):
        raise MalformedReport("The inventory request has no CONTENT.")
    if values.text(request.get("deviceid")) is None:
        raise MalformedReport("The inventory request has no DEVICEID.")
    return content


def parse(data: bytes) -> InventoryReport:
    """The report in ``data``, a decompressed FusionInventory INVENTORY request."""
    parsed = parse_xml(data)
    request = Record(request_fields(parsed.root))
    content = inventory_content(request)
    zone = sections.local_zone(first_record(content.get("operatingsystem")))
    name, version = sections.agent_version(content.get("versionclient"))
    agent = AgentInfo(
        device_id=values.text(request.get("deviceid")) or "",
        protocol=Protocol.FUSION_XML,
        name=name,
        version=version,
        tag=values.text(first_record(content.get("accountinfo")).get("keyvalue")),
    )
    return InventoryReport(
        agent=agent,
        inventoried_at=values.instant(
            first_record(content.get("accesslog")).get("logdate"), local_zone=zone
        ),
        hardware=sections.hardware(first_record(content.get("hardware"))),
        bios=sections.bios(first_record(content.get("bios"))),
        warnings=parsed.warnings,
        **sections.computer_components(content, zone),
    )
