"""The reports the demo's inventory agents send, in each agent's own format.

One :class:`Machine` per reporting computer says what is true of it (system, software,
encryption, antivirus…); :func:`request` turns one of its reports into the HTTP request its
agent would send. The shapes follow the captured traffic of the real agents
(``docs/protocols.md``, ``inventory/tests/fixtures/captures``): GLPI Agent JSON for most
Windows machines, FusionInventory XML (the upper-case mirror of the same sections) for the
schools' and libraries' older installs, OCS Inventory XML for the Debian servers.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import zlib
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings

from regie.assets.models import Asset
from regie.inventory.models import AgentProtocol
from regie.inventory.receiving import Envelope

PARIS = dt.timezone(dt.timedelta(hours=1))  # the demo reports in winter time, like December


@dataclass(frozen=True)
class System:
    """An operating system as the agent reports it."""

    name: str
    full_name: str
    version: str
    kernel: str
    windows: bool = True


WINDOWS_10 = System(
    "Microsoft Windows 10 Professionnel", "Microsoft Windows 10 Professionnel", "22H2", "10.0.19045"
)
WINDOWS_11_23H2 = System(
    "Microsoft Windows 11 Entreprise", "Microsoft Windows 11 Entreprise", "23H2", "10.0.22631"
)
WINDOWS_11_24H2 = System(
    "Microsoft Windows 11 Entreprise", "Microsoft Windows 11 Entreprise", "24H2", "10.0.26100"
)
SERVER_2022 = System(
    "Microsoft Windows Server 2022 Datacenter",
    "Microsoft Windows Server 2022 Datacenter",
    "21H2",
    "10.0.20348",
)
SERVER_2019 = System(
    "Microsoft Windows Server 2019 Standard",
    "Microsoft Windows Server 2019 Standard",
    "1809",
    "10.0.17763",
)
SERVER_2016 = System(
    "Microsoft Windows Server 2016 Standard",
    "Microsoft Windows Server 2016 Standard",
    "1607",
    "10.0.14393",
)
DEBIAN_12 = System(
    "Debian GNU/Linux 12", "Debian GNU/Linux 12 (bookworm)", "12", "6.1.0-28-amd64", False
)

AGENT_VERSIONS = {
    AgentProtocol.GLPI_JSON: "GLPI-Agent_v1.11",
    AgentProtocol.FUSION_XML: "FusionInventory-Agent_v2.6",
    AgentProtocol.OCS_XML: "OCS-NG_unified_unix_agent_v2.10.0",
}
CHASSIS = {"PC": "Desktop", "PORT": "Laptop", "SRV": "Rack Mount Chassis", "VM": "Virtual Machine"}


@dataclass(frozen=True)
class Installed:
    name: str
    publisher: str
    version: str
    installed_on: dt.date
    from_wmi: bool = False  # Windows updates (KB…) come from WMI, the rest from the registry


@dataclass
class Machine:
    """A reporting computer: its asset, its agent and what its reports say."""

    asset: Asset
    hostname: str
    device_id: str
    agent_id: str  # GLPI-Agent-ID header (GLPI Agent only)
    protocol: AgentProtocol
    system: System
    mac: str
    address: str
    software: list[Installed] = field(default_factory=list)
    encrypted: bool = True
    antivirus_on: bool = True
    firewall_on: bool = True
    user_login: str = ""
    memory_mib: int = 16384
    disk_mib: int = 476940
    installed_at: dt.datetime = dt.datetime(2024, 1, 1, tzinfo=PARIS)

    @property
    def prefix(self) -> str:
        return self.asset.asset_type.prefix


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(PARIS).strftime("%Y-%m-%d %H:%M:%S")


def _software_entries(machine: Machine, software: list[Installed]) -> list[dict[str, Any]]:
    entries = []
    for item in software:
        entry: dict[str, Any] = {
            "name": item.name,
            "version": item.version,
            "publisher": item.publisher,
            "install_date": item.installed_on.isoformat(),
        }
        if machine.system.windows:
            entry["arch"] = "x86_64"
            entry["from"] = "WMI" if item.from_wmi else "registry"
        else:
            entry["arch"] = "amd64"
            entry["from"] = "deb"
        entries.append(entry)
    return entries


def content(machine: Machine, *, at: dt.datetime, software: list[Installed]) -> dict[str, Any]:
    """The ``content`` of an inventory in the GLPI format (lower-case sections)."""
    asset = machine.asset
    system = machine.system
    model = asset.model.name if asset.model is not None else ""
    maker = asset.manufacturer.name if asset.manufacturer is not None else ""
    virtual = machine.prefix == "VM"
    boot = at - dt.timedelta(hours=3 + len(machine.hostname) % 40)
    found: dict[str, Any] = {
        "accesslog": {"logdate": _stamp(at)},
        "bios": {
            "ssn": "" if virtual else asset.serial_number,
            "smanufacturer": "Microsoft Corporation" if virtual else maker,
            "smodel": "Virtual Machine" if virtual else model,
            "bdate": "2023-04-12",
            "bversion": "Hyper-V UEFI Release v4.1" if virtual else "1.18.0",
        },
        "hardware": {
            "name": machine.hostname,
            "uuid": asset.hardware_uuid,
            "chassis_type": CHASSIS[machine.prefix],
            "memory": machine.memory_mib,
            "vmsystem": "HyperV" if virtual else "Physical",
            "workgroup": "mellois.local",
            "dns": "10.79.0.10/10.79.0.11",
            "defaultgateway": machine.address.rsplit(".", 1)[0] + ".254",
            "lastloggeduser": machine.user_login,
        },
        "operatingsystem": {
            "name": system.name,
            "full_name": system.full_name,
            "version": system.version,
            "kernel_version": system.kernel,
            "kernel_name": "MSWin32" if system.windows else "linux",
            "arch": "64-bit" if system.windows else "x86_64",
            "install_date": _stamp(machine.installed_at),
            "boot_time": _stamp(boot),
            "fqdn": f"{machine.hostname.lower()}.mellois.local",
            "dns_domain": "mellois.local",
            "timezone": {"name": "Europe/Paris", "offset": "+0100"},
        },
        "cpus": [
            {
                "name": "Intel(R) Core(TM) i5-1345U" if machine.prefix != "SRV" else "Xeon Silver",
                "manufacturer": "Intel",
                "arch": "x86_64",
                "core": 10 if machine.prefix != "SRV" else 16,
                "thread": 12 if machine.prefix != "SRV" else 32,
                "speed": 1600 if machine.prefix != "SRV" else 2400,
            }
        ],
        "memories": [
            {"capacity": machine.memory_mib, "type": "DDR4", "speed": "3200", "numslots": 1}
        ],
        "storages": [
            {
                "name": "Disque 0",
                "model": "PM9A1 NVMe Samsung 512GB",
                "manufacturer": "Samsung",
                "disksize": machine.disk_mib,
                "type": "disk",
                "interface": "NVMe",
            }
        ],
        "drives": [_system_drive(machine)],
        "networks": _networks(machine),
        "softwares": _software_entries(machine, software),
        "versionclient": AGENT_VERSIONS[machine.protocol],
    }
    if system.windows:
        found["antivirus"] = [_antivirus(machine, at)]
        found["firewalls"] = [
            {"profile": profile, "status": "on" if machine.firewall_on else "off"}
            for profile in ("Domain", "Private", "Public")
        ]
        if machine.user_login:
            found["users"] = [{"login": machine.user_login.split("\\")[-1], "domain": "MELLOIS"}]
    return found


def _system_drive(machine: Machine) -> dict[str, Any]:
    free = machine.disk_mib * (20 + len(machine.hostname) % 50) // 100
    if not machine.system.windows:
        return {"type": "/", "volumn": "/dev/mapper/vg0-root", "filesystem": "ext4",
                "total": machine.disk_mib, "free": free}  # fmt: skip
    drive = {
        "letter": "C:",
        "label": "Windows",
        "filesystem": "NTFS",
        "total": machine.disk_mib,
        "free": free,
        "encrypt_name": "BitLocker",
        "encrypt_status": "Yes" if machine.encrypted else "No",
    }
    if machine.encrypted:
        drive["encrypt_algo"] = "XTS_AES_128"
    return drive


def _antivirus(machine: Machine, at: dt.datetime) -> dict[str, Any]:
    server = machine.prefix in {"SRV", "VM"}
    return {
        "name": "ESET Server Security" if server else "ESET Endpoint Security",
        "company": "ESET",
        "version": "11.0.12012.0" if server else "11.1.2039.2",
        "enabled": machine.antivirus_on,
        "uptodate": machine.antivirus_on,
        "expiration": (at.date() + dt.timedelta(days=420)).isoformat(),
    }


def _networks(machine: Machine) -> list[dict[str, Any]]:
    wired = {
        "description": "Intel(R) Ethernet Connection (17) I219-LM",
        "mac": machine.mac,
        "type": "ethernet",
        "status": "up",
        "speed": "1000",
        "ipaddress": machine.address,
        "ipmask": "255.255.255.0",
        "ipgateway": machine.address.rsplit(".", 1)[0] + ".254",
        "ipdhcp": "10.79.0.10",
        "virtualdev": False,
    }
    if machine.prefix != "PORT":
        return [wired]
    wifi_mac = machine.mac[:-2] + f"{(int(machine.mac[-2:], 16) + 1) % 256:02x}"
    return [
        {**wired, "status": "down", "ipaddress": "", "ipgateway": "", "ipdhcp": ""},
        {
            "description": "Intel(R) Wi-Fi 6E AX211 160MHz",
            "mac": wifi_mac,
            "type": "wifi",
            "status": "up",
            "virtualdev": False,
        },
    ]


# --- the agents' messages ----------------------------------------------------------------------


def body(machine: Machine, document: dict[str, Any]) -> bytes:
    """The decompressed request body of an inventory in the machine's protocol."""
    if machine.protocol == AgentProtocol.GLPI_JSON:
        message = {
            "action": "inventory",
            "deviceid": machine.device_id,
            "itemtype": "Computer",
            "content": document,
        }
        return json.dumps(message, ensure_ascii=False).encode("utf-8")
    if machine.protocol == AgentProtocol.OCS_XML:
        document = _ocs_content(machine, document)
    inner = "".join(_xml(key.upper(), value) for key, value in document.items())
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n<REQUEST><CONTENT>'
        f"{inner}</CONTENT><DEVICEID>{escape(machine.device_id)}</DEVICEID>"
        "<QUERY>INVENTORY</QUERY></REQUEST>\n"
    ).encode()


def _xml(tag: str, value: Any) -> str:
    if isinstance(value, list):
        return "".join(_xml(tag, item) for item in value)
    if isinstance(value, dict):
        inner = "".join(_xml(key.upper(), item) for key, item in value.items())
        return f"<{tag}>{inner}</{tag}>"
    if isinstance(value, bool):
        value = "1" if value else "0"
    return f"<{tag}>{escape(str(value))}</{tag}>"


def _ocs_content(machine: Machine, document: dict[str, Any]) -> dict[str, Any]:
    """OCS keeps the system in HARDWARE and names a few fields its own way (protocols.md)."""
    system = document.pop("operatingsystem")
    hardware = dict(document["hardware"])
    hardware.update(
        osname=machine.system.name,
        oscomments=machine.system.full_name,
        osversion=machine.system.version,
        description=f"x86_64/{system['install_date']}",
        installdate=system["install_date"][:10],
    )
    document["hardware"] = hardware
    document["cpus"] = [
        {
            "type": cpu["name"],
            "manufacturer": cpu["manufacturer"],
            "cores": cpu["core"],
            "logical_cpus": cpu["thread"],
            "cpuarch": "x86_64",
        }  # fmt: skip
        for cpu in document["cpus"]
    ]
    for entry in document["softwares"]:
        entry["architecture"] = entry.pop("arch")
        entry["installdate"] = entry.pop("install_date").replace("-", "/") + " 00:00:00"
    for interface in document["networks"]:
        interface["macaddr"] = interface.pop("mac")
    document.pop("versionclient", None)
    return document


def request(machine: Machine, raw: bytes) -> Envelope:
    """The HTTP request of ``machine``'s agent posting ``raw`` (an inventory body), zlib
    compressed as the agents send it, with the agent credentials the server expects."""
    headers = {
        "User-Agent": AGENT_VERSIONS[machine.protocol],
        "Content-Type": "application/x-compress"
        if machine.protocol == AgentProtocol.OCS_XML
        else "application/x-compress-zlib",
        "Pragma": "no-cache",
    }
    if machine.protocol == AgentProtocol.GLPI_JSON:
        headers["GLPI-Agent-ID"] = machine.agent_id
    if settings.INVENTORY_USERNAME:
        pair = f"{settings.INVENTORY_USERNAME}:{settings.INVENTORY_PASSWORD}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
    compressed = zlib.compress(raw, 6)
    headers["Content-Length"] = str(len(compressed))
    return Envelope(
        method="POST",
        address=machine.address,
        headers=headers,
        body=compressed,
        content_type=headers["Content-Type"],
    )
