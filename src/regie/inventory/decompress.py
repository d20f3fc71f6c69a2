"""Decompressing agent bodies without ever inflating a bomb in memory.

The compression is read from the first bytes, never from Content-Type (the OCS agent sends
``application/x-compress`` for zlib): ``78 xx`` zlib (RFC 1950), ``1f 8b`` gzip, anything
else plain. Inflating is done in bounded steps, checking the decompressed size and the
ratio to the compressed bytes consumed so far after each step, so a bomb is stopped after
at most one step beyond the cap; a stream that ends before its end marker is refused.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from enum import StrEnum

from regie.inventory.models import RefusalReason

_STEP = 256 * 1024  # decompressed bytes produced per step
_INPUT_STEP = 64 * 1024
# Below this size the ratio is not checked: a small, very repetitive body (a PROLOG, a
# partial inventory) may legitimately compress well, and costs nothing to inflate.
_RATIO_FLOOR = 1024 * 1024


class Compression(StrEnum):
    ZLIB = "zlib"
    GZIP = "gzip"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Limits:
    max_inflated: int
    max_ratio: int


class RefusedBody(ValueError):
    """The body cannot be accepted; ``reason`` says why, ``status`` which 4xx to answer."""

    def __init__(self, message: str, *, reason: RefusalReason, status: int) -> None:
        super().__init__(message)
        self.reason = reason
        self.status = status


def detect(data: bytes) -> Compression:
    if len(data) >= 2 and data[0] == 0x78 and (data[0] * 256 + data[1]) % 31 == 0:
        return Compression.ZLIB
    if data[:2] == b"\x1f\x8b":
        return Compression.GZIP
    return Compression.NONE


def too_large(limit: int, what: str) -> RefusedBody:
    return RefusedBody(
        f"The {what} is larger than {limit // (1024 * 1024)} MB.",
        reason=RefusalReason.TOO_LARGE,
        status=413,
    )


def inflate(data: bytes, compression: Compression, limits: Limits) -> bytes:
    """The decompressed ``data``; ``RefusedBody`` past a cap or for a truncated stream."""
    if compression is Compression.NONE:
        if len(data) > limits.max_inflated:
            raise too_large(limits.max_inflated, "decompressed body")
        return data
    wbits = zlib.MAX_WBITS | 16 if compression is Compression.GZIP else zlib.MAX_WBITS
    inflater = zlib.decompressobj(wbits)
    chunks: list[bytes] = []
    produced = 0
    consumed = 0
    start = 0
    try:
        for start in range(0, len(data), _INPUT_STEP):
            pending = data[start : start + _INPUT_STEP]
            consumed += len(pending)
            while pending and not inflater.eof:
                chunk = inflater.decompress(pending, _STEP)
                pending = inflater.unconsumed_tail
                produced += len(chunk)
                chunks.append(chunk)
                _check(produced, consumed - len(pending), limits)
            if inflater.eof:
                break
    except zlib.error as error:
        raise _corrupt(compression, str(error)) from error
    if not inflater.eof:
        raise _corrupt(compression, "the stream ends before its end marker")
    if inflater.unused_data or start + _INPUT_STEP < len(data):
        raise _corrupt(compression, "data follows the end of the compressed stream")
    return b"".join(chunks)


def _check(produced: int, consumed: int, limits: Limits) -> None:
    if produced > limits.max_inflated:
        raise too_large(limits.max_inflated, "decompressed body")
    if produced > _RATIO_FLOOR and produced > limits.max_ratio * max(consumed, 1):
        raise RefusedBody(
            f"The body expands more than {limits.max_ratio} times: a compression bomb.",
            reason=RefusalReason.COMPRESSION_BOMB,
            status=413,
        )


def _corrupt(compression: Compression, detail: str) -> RefusedBody:
    return RefusedBody(
        f"The {compression} body is truncated or corrupt: {detail}.",
        reason=RefusalReason.TRUNCATED,
        status=400,
    )
