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


def test_the_software_list_behaves_as_the_tuple_it_builds():
    section = [{"name": "Firefox", "version": "128"}, {"name": "LibreOffice", "version": "24.2"}]
    programs = sections.lazy_software(section)
    expected = build_each(section, sections.software)

    built = [programs.is_built]
    assert programs == expected
    built.append(programs.is_built)
    assert built == [False, True]
    assert (len(programs), programs[0], programs[1:]) == (2, expected[0], expected[1:])
    assert list(programs) == list(expected)
    assert hash(programs) == hash(expected)
    assert sections.lazy_software(section) == programs


def test_the_digest_follows_the_section_as_sent():
    section = [{"name": "Firefox", "version": "128"}, {"name": "LibreOffice", "version": "24.2"}]
    same = [dict(entry) for entry in section]
    upgraded = [{"name": "Firefox", "version": "129"}, section[1]]
    reordered = [section[1], section[0]]

    digest = sections.lazy_software(section).digest
    assert digest is not None
    assert sections.lazy_software(same).digest == digest
    assert sections.lazy_software(upgraded).digest != digest
    assert sections.lazy_software(reordered).digest != digest
    assert sections.lazy_software(None).digest is None
    # A value orjson cannot write (an integer past 64 bits, which ``json`` may parse).
    assert sections.lazy_software([{"name": "x", "version": 2**70}]).digest is None
