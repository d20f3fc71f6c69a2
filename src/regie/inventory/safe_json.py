"""Parse agent JSON with the standard library, safely.

The caller bounds the size. Here: ``NaN``/``Infinity`` are refused, the top level must be
an object, and nesting is limited to ``MAX_DEPTH``, measured on the parsed document with a
loop. (``json.loads`` itself stops at the recursion limit, about 1,000 levels, with a
``RecursionError``; a string-aware scan of the text before parsing cost 5 ms on a real
inventory, the walk afterwards 1 ms.) Invalid UTF-8 is repaired as in ``safe_xml``
(replaced with U+FFFD, with a warning), for the same reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from regie.inventory.exceptions import HostileInput, MalformedReport

# GLPI inventories nest about 5 deep (content → network_ports → ports → aggregate → ...).
MAX_DEPTH = 32


INVALID_UTF8_WARNING = "invalid UTF-8 bytes were replaced with U+FFFD"


@dataclass(frozen=True, slots=True)
class ParsedJson:
    document: dict[str, Any]
    warnings: tuple[str, ...] = ()


def _reject_constant(name: str) -> None:
    raise MalformedReport(f"The JSON contains {name}, which is not valid JSON.")


def nesting_depth(document: object) -> int:
    """How deeply lists and objects nest in a parsed document; a loop, no recursion."""
    deepest = 0
    pending: list[tuple[dict[str, Any] | list[Any], int]] = []
    if isinstance(document, dict | list):
        pending.append((document, 1))
    while pending:
        item, depth = pending.pop()
        children = item.values() if isinstance(item, dict) else item
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def _decode(data: bytes) -> tuple[str, tuple[str, ...]]:
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace"), (INVALID_UTF8_WARNING,)


def parse_json(data: bytes, *, max_depth: int = MAX_DEPTH) -> ParsedJson:
    """Parse ``data`` (already decompressed and size-bounded by the caller)."""
    text, warnings = _decode(data.removeprefix(b"\xef\xbb\xbf"))
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise MalformedReport(f"The body is not valid JSON: {error.msg}.") from error
    except RecursionError as error:
        # json's C scanner counts its own nesting against the interpreter's recursion
        # limit and stops there: a 100,000-deep array fails fast, without a crash.
        raise HostileInput("The JSON is nested too deeply.") from error
    if not isinstance(document, dict):
        raise MalformedReport("The JSON message is not an object.")
    if nesting_depth(document) > max_depth:
        raise HostileInput(f"The JSON is nested deeper than {max_depth} levels.")
    return ParsedJson(document=document, warnings=warnings)
