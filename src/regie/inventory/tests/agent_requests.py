"""Replaying captured agent requests (fixtures/captures/*-headers.txt) over the test client."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from regie.inventory.tests.fixtures import CAPTURES

_SKIPPED = {"content-length", "content-type", "host"}


@dataclass(frozen=True)
class CapturedRequest:
    path: str
    content_type: str
    headers: dict[str, str]
    compressed: bool


def captured_request(headers_file: str) -> CapturedRequest:
    """The request line and headers of a capture (its body is stored decompressed)."""
    lines = (CAPTURES / headers_file).read_text(encoding="utf-8").splitlines()
    _method, path, _version = lines[0].split(" ")
    headers: dict[str, str] = {}
    content_type = ""
    compressed = False
    for line in lines[1:]:
        if line.startswith("# body:"):
            compressed = "encoding detected=zlib" in line
        elif ": " in line:
            name, value = line.split(": ", 1)
            if name.lower() == "content-type":
                content_type = value
            elif name.lower() not in _SKIPPED:
                headers[name] = value
    return CapturedRequest(path, content_type, headers, compressed)


def post_capture(client, headers_file: str, body: bytes, **extra):
    request = captured_request(headers_file)
    data = zlib.compress(body) if request.compressed else body
    return client.post(
        request.path,
        data=data,
        content_type=request.content_type,
        headers=request.headers,
        **extra,
    )
