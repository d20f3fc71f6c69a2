"""``regie bench compliance``: the nightly sweep over a generated fleet.

Builds ``assets`` computers (a third laptops) in bulk, each with an operating system drawn
from the end-of-support table, an inventory snapshot (antivirus, firewall, volumes) and a few
dated software installations, so that every rule has something to find. Times a first sweep
(opening findings), a second one (nothing changes: the idempotent steady state) and a third
after a tenth of the machines were fixed (resolutions).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from regie.assets.models import (
    Asset,
    AssetInventory,
    AssetKind,
    AssetOperatingSystem,
    AssetStatus,
    AssetType,
    Software,
    SoftwareInstallation,
    SoftwareVersion,
    normalise_software_text,
)
from regie.core.database import refresh_planner_statistics
from regie.operations.compliance.models import Finding
from regie.operations.compliance.services import evaluate_assets

DESCRIPTION = "compliance sweep over a generated fleet (use --assets 10000)"
BATCH = 5000
SYSTEMS = (
    ("Windows", "Microsoft Windows 10 Professionnel", "22H2", "10.0.19045"),
    ("Windows", "Microsoft Windows 11 Entreprise", "23H2", "10.0.22631"),
    ("Windows", "Microsoft Windows 11 Professionnel", "24H2", "10.0.26100"),
    ("Debian GNU/Linux", "Debian GNU/Linux 12 (bookworm)", "12.11", "6.1.0-37-amd64"),
    ("Windows", "Microsoft Windows Server 2016 Standard", "", "10.0.14393"),
)

Output = Callable[[str], None]


def _types() -> dict[str, AssetType]:
    desktop, _ = AssetType.objects.get_or_create(
        prefix="PC", defaults={"name": "Poste fixe", "kind": AssetKind.DESKTOP}
    )
    laptop, _ = AssetType.objects.get_or_create(
        prefix="PORT", defaults={"name": "Portable", "kind": AssetKind.LAPTOP}
    )
    return {"desktop": desktop, "laptop": laptop}


def _sections(number: int, *, broken: bool) -> dict[str, Any]:
    return {
        "antivirus": [
            {"name": "Microsoft Defender", "enabled": not broken, "up_to_date": number % 7 != 0}
        ],
        "firewalls": [{"profile": "Domain", "status": "off" if broken else "on"}],
        "volumes": [{"mount_point": "C:", "encrypted": not broken, "encryption_name": "BitLocker"}],
    }


def _build(assets: int, now: dt.datetime, progress: Output) -> None:
    types = _types()
    name, publisher = "Mise à jour cumulative", "Microsoft"
    software = Software.objects.create(
        name=name,
        publisher=publisher,
        normalized_name=normalise_software_text(name),
        normalized_publisher=normalise_software_text(publisher),
    )
    version = SoftwareVersion.objects.create(software=software, version="KB5044284")
    start = Asset.objects.count()
    for first in range(0, assets, BATCH):
        numbers = range(first, min(first + BATCH, assets))
        with transaction.atomic():
            created = Asset.objects.bulk_create(
                Asset(
                    inventory_number=f"BENCH-{start + n:07d}",
                    name=f"POSTE-{n:06d}",
                    asset_type=types["laptop" if n % 3 == 0 else "desktop"],
                    status=AssetStatus.IN_SERVICE,
                    warranty_end=(now + dt.timedelta(days=(n % 400) - 100)).date(),
                )
                for n in numbers
            )
            AssetOperatingSystem.objects.bulk_create(
                AssetOperatingSystem(
                    asset=asset,
                    name=SYSTEMS[n % len(SYSTEMS)][0],
                    full_name=SYSTEMS[n % len(SYSTEMS)][1],
                    version=SYSTEMS[n % len(SYSTEMS)][2],
                    build=SYSTEMS[n % len(SYSTEMS)][3],
                )
                for n, asset in zip(numbers, created, strict=True)
            )
            AssetInventory.objects.bulk_create(
                AssetInventory(
                    asset=asset,
                    agent_device_id=f"bench-{n}",
                    protocol="glpi-json",
                    last_inventory_at=now - dt.timedelta(days=n % 60),
                    sections=_sections(n, broken=n % 5 == 0),
                )
                for n, asset in zip(numbers, created, strict=True)
            )
            SoftwareInstallation.objects.bulk_create(
                SoftwareInstallation(
                    asset=asset,
                    version=version,
                    install_date=(now - dt.timedelta(days=n % 90)).date(),
                )
                for n, asset in zip(numbers, created, strict=True)
            )
        progress(f"  {min(first + BATCH, assets)} / {assets} assets")
    refresh_planner_statistics()


def _timed(label: str, out: Output, **kwargs: Any) -> dict[str, Any]:
    started = time.perf_counter()
    result = evaluate_assets(**kwargs)
    seconds = time.perf_counter() - started
    touched = result.opened + result.updated + result.resolved + result.still_open
    figures = {
        "seconds": round(seconds, 3),
        "assets_per_second": round(result.assets / seconds) if seconds else None,
        "findings_per_second": round(touched / seconds) if seconds else None,
        **result.as_dict(),
    }
    out(
        f"{label}: {seconds:.2f} s for {result.assets} assets "
        f"({figures['assets_per_second']} assets/s, {figures['findings_per_second']} findings/s); "
        f"{result.opened} opened, {result.updated} updated, {result.resolved} resolved, "
        f"{result.still_open} still open"
    )
    return figures


def run(*, assets: int, out: Output, progress: Output) -> dict[str, Any]:
    now = timezone.now()
    progress(f"Generating {assets} assets…")
    _build(assets, now, progress)
    first = _timed("first sweep", out)
    second = _timed("second sweep (nothing changed)", out)
    fixed = AssetInventory.objects.filter(sections__firewalls__0__status="off")
    fixed_ids = list(fixed.values_list("asset_id", flat=True)[: max(1, assets // 10)])
    for inventory in AssetInventory.objects.filter(asset_id__in=fixed_ids):
        inventory.sections = _sections(1, broken=False)
        inventory.save(update_fields=["sections"])
    third = _timed("third sweep (a tenth fixed)", out)
    return {
        "benchmark": "compliance",
        "assets": assets,
        "open_findings": Finding.objects.open().count(),
        "first": first,
        "second": second,
        "third": third,
        "ok": second["opened"] == 0 and second["events"] == 0,
    }
