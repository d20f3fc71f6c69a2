"""What the server answers, in each protocol's form (protocols.md §1.2, §1.4, §2, §3).

The reply is compressed the way the request was, with the Content-Type the agents read:
the OCS agent only accepts a zlib reply, GLPI Agent decodes by Content-Type, the
FusionInventory agent sniffs the bytes.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from xml.sax.saxutils import escape

from regie.inventory.decompress import Compression

# GLPI's own answer to CONTACT names the inventory server "glpi" with its protocol version.
GLPI_PROTOCOL_VERSION = "10.0.0"
SUPPORTED_TASKS = frozenset({"inventory"})

_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


class Form(StrEnum):
    XML = "xml"
    JSON = "json"


_CONTENT_TYPES = {
    Compression.ZLIB: "application/x-compress-zlib",
    Compression.GZIP: "application/x-compress-gzip",
}
_PLAIN_TYPES = {Form.XML: "application/xml", Form.JSON: "application/json"}


# Agents and proxies must never answer from a cache.
NO_CACHE: tuple[tuple[str, str], ...] = (
    ("Cache-Control", "no-cache,no-store"),
    ("Pragma", "no-cache"),
)


@dataclass(frozen=True, slots=True)
class Reply:
    """What to answer: status, Content-Type (empty: none in particular), body, headers."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = NO_CACHE


def encode(text: str, *, form: Form, compression: Compression, status: int = 200) -> Reply:
    data = text.encode("utf-8")
    if compression is Compression.ZLIB:
        return Reply(status, _CONTENT_TYPES[compression], zlib.compress(data))
    if compression is Compression.GZIP:
        return Reply(status, _CONTENT_TYPES[compression], gzip.compress(data, mtime=0))
    return Reply(status, _PLAIN_TYPES[form], data)


def xml_prolog(*, hours: int, compression: Compression) -> Reply:
    body = f"<REPLY><PROLOG_FREQ>{hours}</PROLOG_FREQ><RESPONSE>SEND</RESPONSE></REPLY>"
    return encode(_XML_DECLARATION + body, form=Form.XML, compression=compression)


def xml_inventory(*, compression: Compression) -> Reply:
    body = "<REPLY><RESPONSE>NO_ACCOUNT_UPDATE</RESPONSE></REPLY>"
    return encode(_XML_DECLARATION + body, form=Form.XML, compression=compression)


def json_prolog(*, hours: int, compression: Compression) -> Reply:
    # What GLPI answers a PROLOG carrying GLPI-Agent-ID: the agent then speaks JSON.
    text = json.dumps({"expiration": hours, "status": "ok"})
    return encode(text, form=Form.JSON, compression=compression)


def json_ok(*, hours: int, compression: Compression) -> Reply:
    text = json.dumps({"status": "ok", "expiration": hours})
    return encode(text, form=Form.JSON, compression=compression)


def json_contact(*, hours: int, enabled_tasks: Iterable[str], compression: Compression) -> Reply:
    # Without "disabled", GLPI Agent runs its other tasks and polls ?action=getConfig.
    disabled = sorted(set(enabled_tasks) - SUPPORTED_TASKS)
    document = {
        "status": "ok",
        "expiration": hours,
        "tasks": {"inventory": {"server": "glpi", "version": GLPI_PROTOCOL_VERSION}},
        "message": ";".join(f"{name} task not supported" for name in disabled),
        "disabled": disabled,
    }
    if not disabled:
        del document["message"]
    return encode(json.dumps(document), form=Form.JSON, compression=compression)


def error(message: str, *, form: Form, status: int, hours: int, compression: Compression) -> Reply:
    if form is Form.JSON:
        text = json.dumps({"status": "error", "message": message, "expiration": hours})
    else:
        text = f"{_XML_DECLARATION}<REPLY><ERROR>{escape(message)}</ERROR></REPLY>"
    return encode(text, form=form, compression=compression, status=status)
