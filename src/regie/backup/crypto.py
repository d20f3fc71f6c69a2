"""Passphrase encryption of a backup archive, as a stream (the archive never sits in clear).

Layout: a header (magic, scrypt salt and parameters, nonce prefix, passphrase verifier), then
chunks of at most ``CHUNK_BYTES`` of the archive, each ``length (4 bytes) | final (1 byte) |
AES-256-GCM ciphertext``. Every chunk's associated data is the header, its number and its
final flag, so a chunk changed, dropped, moved or cut off, or a stream that ends without its
final chunk, fails to decrypt. The verifier (an HMAC of a constant under the derived key)
tells a wrong passphrase from a damaged archive.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from regie.backup.errors import BackupError

MAGIC = b"REGIE-BACKUP-ENCRYPTED-1\n"
CHUNK_BYTES = 1024 * 1024
_SCRYPT_LOG_N, _SCRYPT_R, _SCRYPT_P = 15, 8, 1  # ~0.1 s and 32 MB per derivation
_PARAMETERS = struct.Struct(">16sBBB8s32s")  # salt, log2 n, r, p, nonce prefix, verifier
_CHUNK = struct.Struct(">IB")  # ciphertext length, final flag
_VERIFIER_INPUT = b"regie-backup-passphrase"


def _derive(passphrase: str, salt: bytes, log_n: int, r: int, p: int) -> bytes:
    if not 10 <= log_n <= 22 or not 1 <= r <= 32 or not 1 <= p <= 16:
        raise BackupError("The archive's encryption header is damaged.")
    kdf = Scrypt(salt=salt, length=32, n=2**log_n, r=r, p=p)
    return kdf.derive(passphrase.encode("utf-8"))


def _verifier(key: bytes) -> bytes:
    return hmac.new(key, _VERIFIER_INPUT, hashlib.sha256).digest()


def _associated_data(header: bytes, number: int, final: bool) -> bytes:
    return header + struct.pack(">QB", number, final)


def _nonce(prefix: bytes, number: int) -> bytes:
    if number >= 2**32:
        raise BackupError("The archive is too large to encrypt (more than 4 PiB).")
    return prefix + struct.pack(">I", number)


class EncryptingWriter:
    """A write-only file object that encrypts what it is given into ``target``."""

    def __init__(self, target: BinaryIO, passphrase: str) -> None:
        salt = os.urandom(16)
        prefix = os.urandom(8)
        key = _derive(passphrase, salt, _SCRYPT_LOG_N, _SCRYPT_R, _SCRYPT_P)
        self.header = MAGIC + _PARAMETERS.pack(
            salt, _SCRYPT_LOG_N, _SCRYPT_R, _SCRYPT_P, prefix, _verifier(key)
        )
        self.target = target
        self.cipher = AESGCM(key)
        self.prefix = prefix
        self.number = 0
        self.buffer = bytearray()
        target.write(self.header)

    def write(self, data: bytes) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK_BYTES:
            self._emit(bytes(self.buffer[:CHUNK_BYTES]), final=False)
            del self.buffer[:CHUNK_BYTES]
        return len(data)

    def finish(self) -> None:
        """Write the last chunk (possibly empty), marked final."""
        self._emit(bytes(self.buffer), final=True)
        self.buffer.clear()

    def _emit(self, plain: bytes, *, final: bool) -> None:
        sealed = self.cipher.encrypt(
            _nonce(self.prefix, self.number),
            plain,
            _associated_data(self.header, self.number, final),
        )
        self.target.write(_CHUNK.pack(len(sealed), final) + sealed)
        self.number += 1


class DecryptingReader:
    """A read-only file object giving back the archive; raises :class:`BackupError` at the
    first chunk that does not authenticate, or when the stream ends before its final chunk."""

    def __init__(self, source: BinaryIO, passphrase: str) -> None:
        magic = source.read(len(MAGIC))
        raw = source.read(_PARAMETERS.size)
        if magic != MAGIC or len(raw) != _PARAMETERS.size:
            raise BackupError("The archive is not an encrypted Régie backup or is truncated.")
        salt, log_n, r, p, prefix, verifier = _PARAMETERS.unpack(raw)
        key = _derive(passphrase, salt, log_n, r, p)
        if not hmac.compare_digest(_verifier(key), verifier):
            raise BackupError("Wrong passphrase: the archive cannot be decrypted with it.")
        self.header = magic + raw
        self.source = source
        self.cipher = AESGCM(key)
        self.prefix = prefix
        self.number = 0
        self.buffer = b""
        self.offset = 0
        self.finished = False

    def read(self, size: int = -1) -> bytes:
        # tarfile reads 10 KB at a time: keep the decrypted block and an offset into it
        # rather than copying the rest of the block at each read.
        parts = []
        wanted = size
        while wanted != 0:
            if self.offset == len(self.buffer):
                if self.finished:
                    break
                self.buffer, self.offset = self._next_chunk(), 0
                continue
            end = len(self.buffer) if wanted < 0 else min(len(self.buffer), self.offset + wanted)
            parts.append(self.buffer[self.offset : end])
            if wanted > 0:
                wanted -= end - self.offset
            self.offset = end
        return b"".join(parts)

    def drain(self) -> None:
        """Read and authenticate the rest of the stream (what the tar reader left)."""
        while self.read(CHUNK_BYTES):
            pass

    def _next_chunk(self) -> bytes:
        raw = self.source.read(_CHUNK.size)
        if len(raw) != _CHUNK.size:
            raise BackupError("The archive is truncated: its encrypted stream ends early.")
        length, final = _CHUNK.unpack(raw)
        if length > CHUNK_BYTES + 16:
            raise BackupError(f"The archive is damaged: block {self.number} has a bad length.")
        sealed = self.source.read(length)
        if len(sealed) != length:
            raise BackupError("The archive is truncated: its encrypted stream ends early.")
        try:
            plain = self.cipher.decrypt(
                _nonce(self.prefix, self.number),
                sealed,
                _associated_data(self.header, self.number, bool(final)),
            )
        except InvalidTag:
            raise BackupError(
                f"The archive is damaged: encrypted block {self.number} does not authenticate."
            ) from None
        self.number += 1
        if final:
            self.finished = True
            if self.source.read(1):
                raise BackupError("The archive is damaged: data follows its final block.")
        return plain


def is_encrypted(head: bytes) -> bool:
    return head.startswith(MAGIC)
