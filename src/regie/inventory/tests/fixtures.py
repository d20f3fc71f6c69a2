"""Reading the copied agent fixtures (see fixtures/*/README.md and SOURCE.md)."""

import gzip
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
CAPTURES = FIXTURES / "captures"
GLPI_EXAMPLES = FIXTURES / "glpi-inventory-format" / "examples"


def capture(name: str) -> bytes:
    return (CAPTURES / name).read_bytes()


def glpi_example_paths() -> list[Path]:
    return sorted(GLPI_EXAMPLES.glob("*.json*"))


def read_fixture(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


@contextmanager
def peak_allocation() -> Iterator[list[int]]:
    """The most memory Python held at once inside the block, in bytes (``[peak]`` after it).

    Hostile bodies are proved harmless by what they cost in memory, which the machine's load
    does not change, rather than by a time limit.
    """
    peak: list[int] = []
    tracemalloc.start()
    try:
        yield peak
    finally:
        peak.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
