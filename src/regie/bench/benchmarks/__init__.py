"""The benchmarks ``regie bench`` knows, by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from regie.bench.benchmarks import backup, continuity, directory, ingest, lists, pings, route
from regie.operations.compliance import bench as compliance

Output = Callable[[str], None]

# name → (one-line description, run(<its options>, out=…, progress=…) → JSON-ready results);
# each run takes, as keyword arguments, the command's options it names.
BENCHMARKS: dict[str, tuple[str, Callable[..., Any]]] = {
    "backup": (backup.DESCRIPTION, backup.run),
    "compliance": (compliance.DESCRIPTION, compliance.run),
    "continuity": (continuity.DESCRIPTION, continuity.run),
    "directory": (directory.DESCRIPTION, directory.run),
    "ingest": (ingest.DESCRIPTION, ingest.run),
    "lists": (lists.DESCRIPTION, lists.run),
    "pings": (pings.DESCRIPTION, pings.run),
    "route": (route.DESCRIPTION, route.run),
}
