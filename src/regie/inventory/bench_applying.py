"""How long applying a real inventory takes: first apply, unchanged re-apply, 2 % churn.

Uses the captured GLPI Agent fixture (827 programs) with a distinct serial per machine, on
the configured database. Not wired to the CLI yet; ``regie bench`` can call it.
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from pathlib import Path

from regie.inventory.applying import apply_report
from regie.inventory.protocols import glpi_json
from regie.inventory.report import Bios, InventoryReport
from regie.inventory.report import Software as ReportedSoftware

_CAPTURE = (
    Path(__file__).parent / "tests" / "fixtures" / "captures" / "glpiagent-inventory-full.json"
)


def _machine(base: InventoryReport, number: int) -> InventoryReport:
    hardware = dataclasses.replace(base.hardware, name=f"bench-{number:05d}")
    return dataclasses.replace(base, hardware=hardware, bios=Bios(serial=f"BENCH{number:07d}"))


def _churned(report: InventoryReport, share: float = 0.02) -> InventoryReport:
    count = max(3, int(len(report.software) * share)) // 3
    software = list(report.software)
    upgraded = [dataclasses.replace(s, version=f"{s.version}.1") for s in software[:count]]
    added = [ReportedSoftware(name=f"bench-new-{i}", version="1") for i in range(count)]
    return dataclasses.replace(report, software=(*upgraded, *software[2 * count :], *added))


def _timed(report: InventoryReport) -> float:
    started = time.perf_counter()
    apply_report(report=report)
    return (time.perf_counter() - started) * 1000


def measure_applying(n: int) -> dict[str, float]:
    """Median milliseconds over ``n`` machines for each case (writes 3×n reports)."""
    base = glpi_json.parse(_CAPTURE.read_bytes())
    machines = [_machine(base, number) for number in range(n)]
    first = [_timed(report) for report in machines]
    unchanged = [_timed(report) for report in machines]
    churn = [_timed(_churned(report)) for report in machines]
    return {
        "first": statistics.median(first),
        "unchanged": statistics.median(unchanged),
        "churn_2_percent": statistics.median(churn),
    }
