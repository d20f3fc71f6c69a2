"""What kind of message an agent sent, before anything is parsed into a report.

The receiver answers PROLOG and CONTACT itself and stores only INVENTORY messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class MessageKind(StrEnum):
    PROLOG = "prolog"  # XML: "may I send?" (also GLPI Agent's first contact)
    CONTACT = "contact"  # GLPI Agent JSON: "what should I do?"
    INVENTORY = "inventory"
    OTHER = "other"  # a message the server does not handle (netdiscovery, SNMP, ...)


@dataclass(frozen=True, slots=True)
class AgentMessage:
    kind: MessageKind
    device_id: str | None
    query: str | None  # the raw QUERY (XML) or action (JSON), for logging OTHER messages
