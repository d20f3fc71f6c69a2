"""The canonical inventory report every agent protocol is parsed into.

One parser per protocol (``protocols/``) turns what an agent sent into an
``InventoryReport``; matching and applying only ever see this type. The report is
immutable (frozen dataclasses, tuples) so it can be passed between steps and compared.

Conventions, the same for every protocol:

* text is stripped; an empty or whitespace-only value is ``None``. Other strings are kept
  as the agent sent them (junk values such as "To be filled by O.E.M." are the matcher's
  business, length limits the applier's: the parser keeps a 64 KB name as it is);
* sizes are MiB as ``int``; dates are ``datetime.date``, instants aware ``datetime`` in UTC
  (an agent's local time is converted with the time zone the report gives, else read as UTC);
  an absent or unparsable date is ``None``;
* MAC addresses are lower-case, colon separated (``02:fc:00:00:00:01``); IP addresses are
  in their canonical text form with a prefix length when the mask is contiguous.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import overload


class Protocol(StrEnum):
    GLPI_JSON = "glpi-json"
    FUSION_XML = "fusion-xml"
    OCS_XML = "ocs-xml"


class Section(StrEnum):
    """The parts of a report the applier reconciles, one at a time."""

    HARDWARE = "hardware"  # name, UUID, chassis, RAM total, last logged-in user
    BIOS = "bios"
    OPERATING_SYSTEM = "operating_system"
    CPUS = "cpus"
    MEMORIES = "memories"
    STORAGES = "storages"
    VOLUMES = "volumes"
    NETWORKS = "networks"
    SOFTWARE = "software"
    ANTIVIRUS = "antivirus"
    FIREWALLS = "firewalls"
    USERS = "users"
    MONITORS = "monitors"
    PRINTERS = "printers"
    BATTERIES = "batteries"
    REMOTE_CONTROLS = "remote_controls"


ALL_SECTIONS = frozenset(Section)


@dataclass(frozen=True, slots=True)
class AgentInfo:
    """Who sent the report. ``device_id`` identifies the agent install, not the machine."""

    device_id: str
    protocol: Protocol
    name: str | None = None  # "GLPI-Agent", "FusionInventory-Agent", "OCS-NG_unified_unix_agent"
    version: str | None = None
    tag: str | None = None
    item_type: str | None = None  # GLPI "itemtype": Computer, Phone, NetworkEquipment, ...


@dataclass(frozen=True, slots=True)
class Hardware:
    name: str | None = None
    uuid: str | None = None
    chassis_type: str | None = None
    vm_system: str | None = None  # "Physical", "Docker", "VMware", ...
    workgroup: str | None = None
    memory_mib: int | None = None  # RAM seen by the OS
    swap_mib: int | None = None
    default_gateway: str | None = None
    dns_servers: tuple[str, ...] = ()
    last_logged_user: str | None = None


@dataclass(frozen=True, slots=True)
class Bios:
    serial: str | None = None  # system serial number (SMBIOS "SSN")
    manufacturer: str | None = None  # system manufacturer
    model: str | None = None  # system model
    date: dt.date | None = None
    version: str | None = None
    bios_manufacturer: str | None = None
    asset_tag: str | None = None
    sku: str | None = None
    motherboard_manufacturer: str | None = None
    motherboard_model: str | None = None
    motherboard_serial: str | None = None


@dataclass(frozen=True, slots=True)
class OperatingSystem:
    name: str | None = None
    full_name: str | None = None
    version: str | None = None
    build: str | None = None  # kernel version on Unix, build number on Windows
    kernel_name: str | None = None
    service_pack: str | None = None
    architecture: str | None = None
    install_date: dt.datetime | None = None
    last_boot: dt.datetime | None = None
    fqdn: str | None = None
    dns_domain: str | None = None


@dataclass(frozen=True, slots=True)
class Cpu:
    name: str | None = None
    manufacturer: str | None = None
    architecture: str | None = None
    cores: int | None = None
    threads: int | None = None
    speed_mhz: int | None = None
    serial: str | None = None


@dataclass(frozen=True, slots=True)
class MemoryModule:
    capacity_mib: int | None = None
    type: str | None = None
    speed: str | None = None  # as reported: "1867", "2400 MHz"
    slot: int | None = None
    serial: str | None = None
    manufacturer: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Storage:
    """A physical (or virtual) disk."""

    name: str | None = None
    model: str | None = None
    manufacturer: str | None = None
    serial: str | None = None
    size_mib: int | None = None
    type: str | None = None
    interface: str | None = None
    firmware: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Volume:
    """A mounted file system (agents call the section DRIVES)."""

    mount_point: str | None = None  # "/", "C:"
    device: str | None = None  # "/dev/vda1"
    label: str | None = None
    filesystem: str | None = None
    total_mib: int | None = None
    free_mib: int | None = None
    serial: str | None = None
    encrypted: bool | None = None  # None: not reported
    encryption_name: str | None = None  # "LUKS1", "BitLocker"
    encryption_status: str | None = None  # as reported: "Yes", "Partially", ...


@dataclass(frozen=True, slots=True)
class IpAddress:
    address: str
    version: int  # 4 or 6
    prefix_length: int | None = None


@dataclass(frozen=True, slots=True)
class NetworkInterface:
    description: str | None = None
    mac: str | None = None
    type: str | None = None  # ethernet, wifi, loopback, ...
    virtual: bool | None = None
    status: str | None = None  # lower-case: up, down, ...
    speed: str | None = None  # as reported
    driver: str | None = None
    gateway: str | None = None
    dhcp_server: str | None = None
    addresses: tuple[IpAddress, ...] = ()


@dataclass(frozen=True, slots=True)
class Software:
    name: str
    version: str | None = None
    publisher: str | None = None
    architecture: str | None = None
    install_date: dt.date | None = None
    source: str | None = None  # "deb", "rpm", "registry", ...
    guid: str | None = None


class SoftwareList(Sequence[Software]):
    """A report's programs, read from the agent's section the first time they are needed.

    ``digest`` fingerprints the section exactly as the agent sent it: the same digest means
    the same programs, so an applier that finds the list unchanged never builds it (a few
    milliseconds for the hundreds of programs of a workstation). It behaves as the tuple it
    builds: equality, hashing, slicing.
    """

    __slots__ = ("_build", "_items", "digest")

    def __init__(self, build: Callable[[], tuple[Software, ...]], digest: str | None) -> None:
        self._build: Callable[[], tuple[Software, ...]] | None = build
        self._items: tuple[Software, ...] = ()
        self.digest = digest

    @property
    def is_built(self) -> bool:
        return self._build is None

    def _built(self) -> tuple[Software, ...]:
        if self._build is not None:
            self._items, self._build = self._build(), None
        return self._items

    @overload
    def __getitem__(self, index: int) -> Software: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Software, ...]: ...
    def __getitem__(self, index: int | slice) -> Software | tuple[Software, ...]:
        return self._built()[index]

    def __len__(self) -> int:
        return len(self._built())

    def __iter__(self) -> Iterator[Software]:
        return iter(self._built())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SoftwareList):
            return self._built() == other._built()
        return self._built() == other

    def __hash__(self) -> int:
        return hash(self._built())

    def __repr__(self) -> str:
        return f"SoftwareList({self._built()!r})"


@dataclass(frozen=True, slots=True)
class Antivirus:
    name: str | None = None
    company: str | None = None
    version: str | None = None
    enabled: bool | None = None
    up_to_date: bool | None = None
    expiration: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Firewall:
    status: str | None = None  # as reported, lower-case: "on", "off"
    enabled: bool | None = None
    profile: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Monitor:
    name: str | None = None
    manufacturer: str | None = None
    serial: str | None = None
    description: str | None = None
    port: str | None = None


@dataclass(frozen=True, slots=True)
class Printer:
    name: str | None = None
    driver: str | None = None
    port: str | None = None
    serial: str | None = None
    network: bool | None = None
    shared: bool | None = None


@dataclass(frozen=True, slots=True)
class Battery:
    name: str | None = None
    manufacturer: str | None = None
    serial: str | None = None
    chemistry: str | None = None
    capacity_mwh: int | None = None
    real_capacity_mwh: int | None = None
    voltage_mv: int | None = None
    manufacture_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class RemoteControl:
    type: str  # lower-case: "teamviewer", "anydesk", ...
    id: str


@dataclass(frozen=True, slots=True)
class InventoryReport:
    """One agent's report, whatever protocol carried it.

    ``sections`` is what the applier may reconcile. A full report carries every section,
    so a section with no entries means "none any more". A partial report (GLPI Agent,
    ``"partial": true``) carries only the sections present in it: the others must be left
    untouched.
    """

    agent: AgentInfo
    partial: bool = False
    sections: frozenset[Section] = ALL_SECTIONS
    inventoried_at: dt.datetime | None = None
    hardware: Hardware = field(default_factory=Hardware)
    bios: Bios = field(default_factory=Bios)
    operating_system: OperatingSystem = field(default_factory=OperatingSystem)
    cpus: tuple[Cpu, ...] = ()
    memories: tuple[MemoryModule, ...] = ()
    storages: tuple[Storage, ...] = ()
    volumes: tuple[Volume, ...] = ()
    networks: tuple[NetworkInterface, ...] = ()
    software: Sequence[Software] = ()  # a SoftwareList from the parsers
    antivirus: tuple[Antivirus, ...] = ()
    firewalls: tuple[Firewall, ...] = ()
    users: tuple[str, ...] = ()  # logins of the users logged in during the inventory
    monitors: tuple[Monitor, ...] = ()
    printers: tuple[Printer, ...] = ()
    batteries: tuple[Battery, ...] = ()
    remote_controls: tuple[RemoteControl, ...] = ()
    warnings: tuple[str, ...] = ()  # what the parser had to repair, e.g. invalid UTF-8

    def carries(self, section: Section) -> bool:
        return section in self.sections

    @property
    def memory_total_mib(self) -> int | None:
        """RAM as the OS reports it, else the sum of the modules' capacities."""
        if self.hardware.memory_mib is not None:
            return self.hardware.memory_mib
        capacities = [m.capacity_mib for m in self.memories if m.capacity_mib is not None]
        return sum(capacities) if capacities else None
