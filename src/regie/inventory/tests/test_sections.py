"""The unrolled software loop reads every program exactly as the per-record builder does."""

import json

import pytest

from regie.inventory.protocols import sections
from regie.inventory.protocols.fusion_xml import request_fields
from regie.inventory.protocols.records import build_each
from regie.inventory.safe_xml import parse_xml
from regie.inventory.tests.fixtures import capture, glpi_example_paths, read_fixture


def software_sections():
    yield "glpiagent", json.loads(capture("glpiagent-inventory-full.json"))["content"]["softwares"]
    for path in glpi_example_paths():
        content = json.loads(read_fixture(path)).get("content", {})
        if "softwares" in content:
            yield path.name, content["softwares"]
    xml = request_fields(parse_xml(capture("fusioninventory-inventory.xml")).root)
    yield "fusioninventory", xml["content"]["softwares"]
    # Odd shapes: one object instead of a list, junk entries, aliases, empty and typed values.
    yield (
        "odd",
        [
            {"name": "  Mozilla   Firefox ", "version": 128, "arch": "", "architecture": "x64"},
            {"name": ""},
            "not a record",
            {"name": True, "installdate": "25/12/2023", "install_date": ""},
            {"publisher": "no name"},
        ],
    )
    yield "single", {"name": "LibreOffice", "install_date": "2024-03-01"}


@pytest.mark.parametrize(("name", "section"), list(software_sections()), ids=lambda v: str(v)[:20])
def test_software_list_matches_software_per_record(name, section):
    expected = build_each(section, sections.software)
    assert sections.software_list(section) == expected
    assert expected  # every sample has programs
