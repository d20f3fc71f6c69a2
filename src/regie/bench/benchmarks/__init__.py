"""The benchmarks ``regie bench`` knows, by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from regie.bench.benchmarks import lists

Output = Callable[[str], None]

# name → (one-line description, run(assets=…, requests=…, out=…) → JSON-ready results)
BENCHMARKS: dict[str, tuple[str, Callable[..., dict[str, Any]]]] = {
    "lists": (lists.DESCRIPTION, lists.run),
}
