"""Reading the copied agent fixtures (see fixtures/*/README.md and SOURCE.md)."""

import gzip
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
