"""Agent JSON: what is accepted, what is refused, and how it is worded."""

import pytest

from regie.inventory.exceptions import HostileInput, MalformedReport
from regie.inventory.safe_json import INVALID_UTF8_WARNING, MAX_DEPTH, nesting_depth, parse_json


def nested(depth: int) -> bytes:
    """An object holding ``depth`` levels in all (the outer object counts as one)."""
    return b'{"a": ' + b"[" * (depth - 1) + b"]" * (depth - 1) + b"}"


def test_a_plain_document_parses():
    parsed = parse_json(b'{"content": {"hardware": {"name": "MAIRIE-01"}}}')
    assert parsed.document == {"content": {"hardware": {"name": "MAIRIE-01"}}}
    assert parsed.warnings == ()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Valid JSON that orjson alone would refuse: still accepted.
        (b'{"name": "\\ud800"}', {"name": "\ud800"}),
        (b'{"name": "x\\udc00y"}', {"name": "x\udc00y"}),
    ],
)
def test_valid_json_beyond_orjson_is_accepted(body, expected):
    assert parse_json(body).document == expected


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"a": NaN}', "contains NaN"),
        (b'{"a": -Infinity}', "contains -Infinity"),
        (b'{"a": 1', "not valid JSON"),
        (b"", "not valid JSON"),
        (b"[1, 2]", "not an object"),
    ],
)
def test_invalid_json_is_refused_with_its_reason(body, message):
    with pytest.raises(MalformedReport, match=message):
        parse_json(body)


def test_nesting_is_limited():
    assert nesting_depth(parse_json(nested(MAX_DEPTH)).document) == MAX_DEPTH
    with pytest.raises(HostileInput, match="nested deeper than"):
        parse_json(nested(MAX_DEPTH + 1))
    with pytest.raises(HostileInput, match="nested too deeply"):
        parse_json(b"[" * 100_000 + b"]" * 100_000)


def test_invalid_utf8_is_repaired_with_a_warning():
    parsed = parse_json(b'{"name": "caf\xe9"}')
    assert parsed.document == {"name": "caf\ufffd"}
    assert parsed.warnings == (INVALID_UTF8_WARNING,)
