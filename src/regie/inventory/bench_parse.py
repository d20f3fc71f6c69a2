"""How long parsing a real inventory into an ``InventoryReport`` takes, per protocol.

Uses the captured fixtures shipped with the tests (about 220–310 KB each, ~800 software
entries). Not wired to the CLI yet; ``regie bench`` can call ``measure_parsing``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from regie.inventory.protocols import fusion_xml, glpi_json, ocs_xml
from regie.inventory.report import InventoryReport, Protocol

_CAPTURES = Path(__file__).parent / "tests" / "fixtures" / "captures"
_CASES: dict[Protocol, tuple[str, Callable[[bytes], InventoryReport]]] = {
    Protocol.GLPI_JSON: ("glpiagent-inventory-full.json", glpi_json.parse),
    Protocol.FUSION_XML: ("fusioninventory-inventory.xml", fusion_xml.parse),
    Protocol.OCS_XML: ("ocs-inventory.xml", ocs_xml.parse),
}


def measure_parsing(repeat: int) -> dict[str, float]:
    """Median milliseconds to parse each protocol's real fixture, over ``repeat`` runs."""
    medians: dict[str, float] = {}
    for protocol, (file_name, parse) in _CASES.items():
        data = (_CAPTURES / file_name).read_bytes()
        parse(data)  # warm up caches and imports
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            parse(data)
            timings.append((time.perf_counter() - started) * 1000)
        medians[protocol.value] = statistics.median(timings)
    return medians
