"""Parse agent XML with lxml, safely.

Agents never send a DOCTYPE, so any document that declares one (and with it entities or an
external DTD) is refused outright as ``HostileInput``, before and after parsing. The parser
itself is configured so that nothing is ever expanded or fetched even if the check were
bypassed: no entity substitution, no DTD loading, no network, libxml2's default limits on
depth and text size (``huge_tree=False``).

Encoding: lxml reads the encoding declared in the XML prolog (OCS may declare
ISO-8859-1). A document declared (or defaulting to) UTF-8 that contains invalid UTF-8 bytes
is *repaired*, not refused: the bytes are replaced with U+FFFD and the caller gets a
warning. Agents copy package descriptions verbatim from the system, and refusing the whole
inventory for one mis-encoded comment would lose the machine's report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# lxml ships no type information (lxml-stubs lacks parts used here, e.g. DocInfo.doctype).
from lxml import etree  # type: ignore[import-untyped]

from regie.inventory.exceptions import HostileInput, MalformedReport

# An XML prolog's encoding declaration, read from the first bytes only.
_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_UTF8_NAMES = frozenset({"utf-8", "utf8"})
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_MARKUP_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity")

INVALID_UTF8_WARNING = "invalid UTF-8 bytes were replaced with U+FFFD"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        dtd_validation=False,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


@dataclass(frozen=True, slots=True)
class ParsedXml:
    root: etree._Element
    warnings: tuple[str, ...] = ()


def _declared_encoding(data: bytes) -> str:
    match = _DECLARED_ENCODING.match(data[:200])
    return match.group(1).decode("ascii").lower() if match else "utf-8"


def _repair_utf8(data: bytes) -> tuple[bytes, tuple[str, ...]]:
    if data.startswith(_UTF16_BOMS) or _declared_encoding(data) not in _UTF8_NAMES:
        return data, ()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace").encode("utf-8"), (INVALID_UTF8_WARNING,)
    return data, ()


def parse_xml(data: bytes) -> ParsedXml:
    """Parse ``data`` (already decompressed and size-bounded by the caller)."""
    if b"<!" in data and any(marker in data for marker in _MARKUP_DECLARATIONS):
        raise HostileInput("The XML declares a DOCTYPE or entities; agents never do.")
    data, warnings = _repair_utf8(data)
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as error:
        raise MalformedReport(f"The body is not well-formed XML: {error.msg}.") from error
    except ValueError as error:  # e.g. an encoding lxml does not know
        raise MalformedReport(f"The body cannot be read as XML: {error}.") from error
    # A UTF-16 document hides its DOCTYPE from the byte check above; the tree does not.
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise HostileInput("The XML declares a DOCTYPE or entities; agents never do.")
    return ParsedXml(root=root, warnings=warnings)
