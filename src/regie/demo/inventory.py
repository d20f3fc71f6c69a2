"""The demo's agent reports, sent through the real inventory path.

Most computers in use get an inventory agent; each report is built in its agent's format
(:mod:`regie.demo.agents`), handed to ``inventory.receiving.receive`` as the agent's HTTP
request would be (door, decompression, recognition, the inbox), then processed in-process
by ``inventory.pipeline.process_report`` (parse, match on serial and UUID, apply, bind the
agent), as the worker would. About one machine in ten never reported, on purpose; a few
machines sent an earlier report whose software differs, so their history shows changes.
Finally the compliance sweep runs, so findings (Windows 10 past its end of support,
BitLocker off, antivirus disabled, no update for weeks) are there on the first page.

The queue still receives a processing task for each stored report when the demo's
transaction commits (``store_report`` does that): the worker finds them processed already
and does nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from regie.assets.models import Asset, AssetStatus
from regie.core.models import ChangeRecord
from regie.demo import agents
from regie.demo.agents import Installed, Machine, System
from regie.demo.software import (
    ANTIVIRUS_PACKAGE,
    ANTIVIRUS_SERVER_PACKAGE,
    BY_DEPARTMENT,
    DEBIAN_LIBRARIES,
    DEBIAN_PACKAGES,
    DEBIAN_ROLES,
    MAKER_TOOLS,
    OCCASIONAL,
    SERVER_ROLES,
    VPN_CLIENTS,
    WINDOWS_BASE,
    WINDOWS_COMPONENTS,
    WINDOWS_SERVER_BASE,
    Package,
)
from regie.directory.models import SiteKind
from regie.inventory.models import AgentProtocol, ReceivedReport
from regie.inventory.pipeline import process_report
from regie.inventory.receiving import receive
from regie.operations.compliance.services import evaluate_assets

Progress = Callable[[str], None]

COMPUTER_PREFIXES = ("PC", "PORT", "SRV", "VM")
SILENT_SHARE = 0.10  # computers whose agent never reported
EARLIER_SHARE = 0.12  # computers with an earlier report (software history)
STALE_SHARE = 0.05  # computers whose last report is weeks old
DEBIAN_SERVERS = ("SRV-SUPERVISION", "VM-REGIE")
OLD_SITES = (SiteKind.SCHOOL, SiteKind.MEDIA_LIBRARY)
OUIS = {"Dell": "d0:94:66", "HP": "64:4e:d7", "Lenovo": "98:fa:9b", "HPE": "94:40:c9"}
HYPER_V_OUI = "00:15:5d"


class DemoInventoryError(RuntimeError):
    """The inventory endpoint refused a demo report (e.g. REGIE_INVENTORY_ALLOWED_NETWORKS)."""


@dataclass
class InventorySummary:
    reporting: int = 0
    silent: int = 0
    reports: int = 0
    earlier: int = 0
    findings: int = 0
    protocols: dict[str, int] = field(default_factory=dict)


def build_inventory(
    *, rng: random.Random, now: dt.datetime, progress: Progress
) -> InventorySummary:
    """Send and process every demo report; return what was done."""
    computers = list(_computers())
    summary = InventorySummary()
    silent = _never_reporting(rng, computers)
    summary.silent = len(silent)
    machines = [
        _machine(rng, asset, index, now)
        for index, asset in enumerate(computers)
        if asset.pk not in silent
    ]
    summary.reporting = len(machines)
    for machine in machines:
        summary.protocols[machine.protocol] = summary.protocols.get(machine.protocol, 0) + 1

    earlier = rng.sample(machines, round(len(machines) * EARLIER_SHARE))
    sent = [
        (machine, when, _earlier_software(rng, machine))
        for machine in earlier
        for when in [now - dt.timedelta(days=rng.randint(24, 40), hours=rng.randint(0, 9))]
    ]
    history_mark = ChangeRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    earlier_ids = _send_all(sent)
    summary.earlier = len(earlier_ids)
    _process(earlier_ids)
    _backdate(earlier_ids, [when for _machine, when, _software in sent], history_mark)
    progress(f"{len(earlier_ids)} earlier agent reports processed")

    stale = set(rng.sample(range(len(machines)), round(len(machines) * STALE_SHARE)))
    latest = []
    for index, machine in enumerate(machines):
        if index in stale:
            when = now - dt.timedelta(days=rng.randint(10, 50), hours=rng.randint(0, 8))
        else:
            when = now - dt.timedelta(hours=rng.randint(1, 30), minutes=rng.randint(0, 59))
        latest.append((machine, when, machine.software))
    latest_ids = _send_all(latest)
    _process(latest_ids)
    summary.reports = len(earlier_ids) + len(latest_ids)
    progress(f"{len(latest_ids)} agent reports received and applied ({summary.silent} silent)")

    summary.findings = evaluate_assets(now=now).opened
    progress(f"compliance sweep: {summary.findings} findings")
    return summary


def _computers() -> QuerySet[Asset]:
    return (
        Asset.objects.filter(
            asset_type__prefix__in=COMPUTER_PREFIXES,
            status__in=[AssetStatus.IN_SERVICE, AssetStatus.IN_REPAIR],
        )
        .select_related(
            "asset_type",
            "manufacturer",
            "model",
            "site",
            "assigned_to__department",
            "assigned_to",
        )
        .order_by("pk")
    )


def _never_reporting(rng: random.Random, computers: list[Asset]) -> set[int]:
    """About one in ten: the agent was never installed (shared desktops, some laptops)."""
    servers = {"SRV", "VM"}
    candidates = [asset for asset in computers if asset.asset_type.prefix not in servers]
    laptops = [asset for asset in candidates if asset.asset_type.prefix == "PORT"]
    chosen = set(rng.sample(laptops, 3))
    others = [asset for asset in candidates if asset not in chosen]
    chosen |= set(rng.sample(others, round(len(computers) * SILENT_SHARE) - len(chosen)))
    return {asset.pk for asset in chosen}


# --- one machine -----------------------------------------------------------------------------


def _system(rng: random.Random, asset: Asset) -> System:
    prefix = asset.asset_type.prefix
    name = asset.name
    if name in DEBIAN_SERVERS or (
        prefix == "SRV" and name.endswith("-FICHIERS") and "-" in name[4:]
    ):
        return agents.DEBIAN_12
    if prefix in {"SRV", "VM"}:
        if name in {"VM-WSUS"}:
            return agents.SERVER_2016
        if name.startswith("SRV-") and name.count("-") == 2 or name in {"VM-IMPRESSION", "VM-GRH"}:
            return agents.SERVER_2019
        return agents.SERVER_2022
    old_site = asset.site is not None and asset.site.kind in OLD_SITES
    draw = rng.random()
    if prefix == "PORT":
        return agents.WINDOWS_11_23H2 if draw < 0.08 else agents.WINDOWS_11_24H2
    if (old_site and draw < 0.4) or draw < 0.05:
        return agents.WINDOWS_10
    return agents.WINDOWS_11_23H2 if draw > 0.93 else agents.WINDOWS_11_24H2


def _protocol(asset: Asset, system: System) -> AgentProtocol:
    if not system.windows:
        return AgentProtocol.OCS_XML
    if asset.site is not None and asset.site.kind in OLD_SITES:
        return AgentProtocol.FUSION_XML  # installed by the integrator years ago
    return AgentProtocol.GLPI_JSON


def _mac(rng: random.Random, asset: Asset) -> str:
    maker = asset.manufacturer.name if asset.manufacturer is not None else ""
    oui = HYPER_V_OUI if asset.asset_type.prefix == "VM" else OUIS.get(maker, "3c:52:82")
    return oui + "".join(f":{rng.randrange(256):02x}" for _ in range(3))


def _machine(rng: random.Random, asset: Asset, index: int, now: dt.datetime) -> Machine:
    system = _system(rng, asset)
    protocol = _protocol(asset, system)
    installed_at = now - dt.timedelta(days=rng.randint(60, 4 * 365), minutes=rng.randint(0, 600))
    site_number = (asset.site_id or 0) % 250
    person = asset.assigned_to
    login = ""
    if person is not None and person.email:
        login = "MELLOIS\\" + person.email.split("@")[0]
    prefix = asset.asset_type.prefix
    machine = Machine(
        asset=asset,
        hostname=asset.name,
        device_id=f"{asset.name}-{installed_at:%Y-%m-%d-%H-%M-%S}",
        agent_id=str(uuid.UUID(int=rng.getrandbits(128), version=1)),
        protocol=protocol,
        system=system,
        mac=_mac(rng, asset),
        address=f"10.79.{site_number}.{20 + index % 200}",
        user_login=login,
        memory_mib={"SRV": 131072, "VM": 16384}.get(prefix, rng.choice((8192, 16384, 16384))),
        disk_mib={"SRV": 3815447, "VM": 204800}.get(prefix, rng.choice((244198, 476940))),
        installed_at=installed_at,
    )
    is_pc = prefix in {"PC", "PORT"}
    machine.encrypted = not (prefix == "PORT" and rng.random() < 0.15) and not (
        prefix == "PC" and rng.random() < 0.3
    )
    machine.antivirus_on = rng.random() > (0.06 if is_pc else 0.0)
    machine.firewall_on = rng.random() > (0.03 if is_pc else 0.0)
    machine.software = _software(rng, machine, now.date())
    return machine


def _pick(rng: random.Random, package: Package, when: dt.date, *, fresh: float = 0.8) -> Installed:
    name, publisher, versions = package
    version = versions[0] if rng.random() < fresh or len(versions) == 1 else rng.choice(versions)
    return Installed(name, publisher, version, when)


def _software(rng: random.Random, machine: Machine, today: dt.date) -> list[Installed]:
    if not machine.system.windows:
        return _debian_software(rng, machine, today)

    updates = _windows_updates(rng, machine, today)
    last_change = max((item.installed_on for item in updates), default=today)

    def installed() -> dt.date:
        day = today - dt.timedelta(days=rng.randint(5, 700))
        return min(max(machine.installed_at.date(), day), last_change)

    prefix = machine.prefix
    maker = machine.asset.manufacturer.name if machine.asset.manufacturer is not None else ""
    packages: list[Package] = []
    if prefix in {"SRV", "VM"}:
        packages += WINDOWS_SERVER_BASE
        packages += WINDOWS_COMPONENTS[:24]
        packages.append(ANTIVIRUS_SERVER_PACKAGE)
        role = "HYPERV" if "HYPERV" in machine.hostname else machine.hostname
        packages += SERVER_ROLES.get(role, ())
    else:
        packages += [p for p in WINDOWS_BASE if rng.random() < 0.93]
        packages += [p for p in WINDOWS_COMPONENTS if rng.random() < 0.9]
        packages.append(ANTIVIRUS_PACKAGE)
        person = machine.asset.assigned_to
        code = person.department.code if person and person.department else ""
        packages += [p for p in BY_DEPARTMENT.get(code, ()) if rng.random() < 0.8]
        packages += rng.sample(OCCASIONAL, rng.randint(0, 6))
        if prefix == "PORT" and rng.random() < 0.85:
            packages.append(VPN_CLIENTS[0] if rng.random() < 0.75 else VPN_CLIENTS[1])
    packages += MAKER_TOOLS.get(maker, ())
    unique = {package[0]: package for package in packages}
    software = [_pick(rng, package, installed()) for package in unique.values()]
    software += updates
    return sorted(software, key=lambda item: item.name.casefold())


def _patch_tuesday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(1 - first.weekday()) % 7 + 7)


def _windows_updates(rng: random.Random, machine: Machine, today: dt.date) -> list[Installed]:
    """The monthly cumulative updates (KB…), as WMI lists them: most machines are at most a
    month behind, a few have not updated for months."""
    behind = 0 if rng.random() < 0.55 else 1
    if rng.random() < 0.08:
        behind = rng.randint(3, 7)
    updates = []
    year, month = today.year, today.month
    for step in range(behind, behind + 4):
        y, m = divmod(year * 12 + month - 1 - step, 12)
        tuesday = _patch_tuesday(y, m + 1)
        if tuesday > today:
            continue
        number = 5040000 + (y - 2024) * 12000 + m * 1000 + len(machine.system.kernel)
        when = min(tuesday + dt.timedelta(days=rng.randint(1, 9)), today)
        updates.append(Installed(f"KB{number}", "Microsoft Corporation", "", when, from_wmi=True))
    return updates


def _debian_software(rng: random.Random, machine: Machine, today: dt.date) -> list[Installed]:
    role = machine.hostname.rsplit("-", 1)[-1]
    packages = [*DEBIAN_PACKAGES, *DEBIAN_LIBRARIES, *DEBIAN_ROLES.get(role, ())]
    last_upgrade = today - dt.timedelta(days=rng.randint(1, 12))
    return [
        _pick(rng, package, last_upgrade - dt.timedelta(days=rng.randint(0, 300)), fresh=1.0)
        for package in packages
    ]


def _earlier_software(rng: random.Random, machine: Machine) -> list[Installed]:
    """What the machine had a month ago: an older browser, a program since removed, one not
    yet installed."""
    software = list(machine.software)
    removable = [i for i, item in enumerate(software) if not item.from_wmi]
    if len(removable) > 3:
        later = rng.choice(removable)
        software.pop(later)  # installed since
    upgraded = []
    for item in software:
        if item.name in {"Microsoft Edge", "Google Chrome", "Mozilla Firefox ESR (x64 fr)"}:
            older = {"Microsoft Edge": "130.0.2849.80", "Google Chrome": "130.0.6723.117"}
            version = older.get(item.name, "128.4.0")
            upgraded.append(Installed(item.name, item.publisher, version, item.installed_on))
        else:
            upgraded.append(item)
    if machine.system.windows:
        upgraded.append(
            Installed(
                "Java 8 Update 421 (64-bit)",
                "Oracle Corporation",
                "8.0.4210.9",
                machine.installed_at.date(),
            )  # fmt: skip
        )
    return upgraded


# --- sending and processing ------------------------------------------------------------------


def _send_all(reports: list[tuple[Machine, dt.datetime, list[Installed]]]) -> list[int]:
    """Post each report through ``receive``; the stored reports' ids, in sending order."""
    before = ReceivedReport.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for machine, when, software in reports:
        document = agents.content(machine, at=when, software=software)
        reply = receive(agents.request(machine, agents.body(machine, document)))
        if reply.status != 200:
            raise DemoInventoryError(
                f"The inventory endpoint refused the report of {machine.hostname} "
                f"(HTTP {reply.status}): {reply.body[:200]!r}"
            )
    return list(
        ReceivedReport.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True)
    )


def _backdate(report_ids: list[int], moments: list[dt.datetime], history_mark: int) -> None:
    """Date the earlier reports, and the history their processing wrote, when they were
    sent rather than when the demo was loaded (the history then reads in order)."""
    asset_type = ContentType.objects.get_for_model(Asset)
    for report_id, when in zip(report_ids, moments, strict=True):
        report = ReceivedReport.objects.filter(pk=report_id)
        asset_id = report.values_list("asset_id", flat=True).first()
        report.update(received_at=when, processed_at=when)
        if asset_id is None:
            continue
        ChangeRecord.objects.filter(
            pk__gt=history_mark, content_type=asset_type, object_id=asset_id
        ).update(at=when)


def _process(report_ids: list[int]) -> None:
    for report_id in report_ids:
        process_report(report_id=report_id)
