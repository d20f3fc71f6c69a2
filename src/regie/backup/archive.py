"""Régie's backup archive: one tar file, optionally encrypted (see :mod:`regie.backup.crypto`).

Members: ``database/…`` (the snapshot), ``keys/secret_key``, ``keys/field_encryption_key``
and ``keys/agent_credentials`` (when they are files of the data directory), ``attachments/…``
(helpdesk), ``uploads/…`` (media), then ``manifest.json`` (format, versions, row counts, the
size and SHA-256 of every part) and ``manifest.sha256``, the SHA-256 of the manifest itself.
Reading never extracts with tarfile: each member is checked (a plain file under one of those
folders) and copied into a staging directory by this module, and nothing is trusted until
every digest matches.
"""

from __future__ import annotations

import hashlib
import json
import os
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, BinaryIO

from regie.backup.crypto import DecryptingReader, EncryptingWriter, is_encrypted
from regie.backup.errors import BackupError

KIND = "regie-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_DIGEST = "manifest.sha256"
FOLDERS = ("database", "keys", "attachments", "uploads")
_COPY_BYTES = 1024 * 1024
_MANIFEST_MAX_BYTES = 64 * 1024 * 1024


@dataclass
class Part:
    name: str  # the member's name in the archive
    size: int
    sha256: str


@dataclass
class ArchiveWriter:
    """Adds files to a new archive, hashing each as it goes."""

    tar: tarfile.TarFile
    parts: list[Part] = field(default_factory=list)

    def add_file(self, name: str, path: Path) -> bool:
        """Add ``path`` as ``name``; ``False`` if it vanished meanwhile (a deleted upload)."""
        try:
            source = path.open("rb")
        except FileNotFoundError:
            return False
        with source:
            size = os.fstat(source.fileno()).st_size
            digest = hashlib.sha256()
            info = _member(name, size, int(os.fstat(source.fileno()).st_mtime))
            self.tar.addfile(info, _Hashing(source, digest, size))
        self.parts.append(Part(name=name, size=size, sha256=digest.hexdigest()))
        return True

    def add_bytes(self, name: str, data: bytes) -> None:
        self.tar.addfile(_member(name, len(data), None), _Hashing.of(data))


def _member(name: str, size: int, mtime: int | None) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    if mtime is not None:
        info.mtime = mtime
    return info


class _Hashing:
    """Reads at most ``limit`` bytes of ``source`` (a file that may still grow), hashing them."""

    def __init__(self, source: BinaryIO, digest: Any, limit: int) -> None:
        self.source = source
        self.digest = digest
        self.remaining = limit

    @classmethod
    def of(cls, data: bytes) -> _Hashing:
        import io

        return cls(io.BytesIO(data), hashlib.sha256(), len(data))

    def read(self, size: int = -1) -> bytes:
        if size < 0 or size > self.remaining:
            size = self.remaining
        data = self.source.read(size)
        self.remaining -= len(data)
        self.digest.update(data)
        return data


def open_for_writing(target: BinaryIO, passphrase: str | None) -> tuple[tarfile.TarFile, Any]:
    """A streaming tar writer on ``target``; the second value is to ``finish()`` (or None)."""
    encrypting = EncryptingWriter(target, passphrase) if passphrase else None
    stream = encrypting if encrypting is not None else target
    return tarfile.open(fileobj=stream, mode="w|", format=tarfile.PAX_FORMAT), encrypting  # type: ignore[call-overload]  # any object with write() serves


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True).encode("utf-8")


# --- Reading ---------------------------------------------------------------------------------


def _safe_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if name in {MANIFEST, MANIFEST_DIGEST}:
        return path
    if (
        path.is_absolute()
        or len(path.parts) < 2
        or path.parts[0] not in FOLDERS
        or any(part in {"", ".", ".."} for part in path.parts)
    ):
        raise BackupError(f"This is not a Régie backup: it holds {name!r}.")
    return path


def _members(archive: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    try:
        yield from archive
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"The archive is damaged or truncated ({exc}).") from None


def read_into(source: Path, staging: Path, passphrase: str | None) -> dict[str, Any]:
    """Copy every part of the archive ``source`` under ``staging`` and check it entirely;
    the manifest once every digest, size and the format are right. Raises BackupError."""
    with source.open("rb") as raw:
        head = raw.read(64)
        raw.seek(0)
        reader: DecryptingReader | None = None
        if is_encrypted(head):
            if not passphrase:
                raise BackupError(
                    "The archive is encrypted: give its passphrase with --passphrase-file."
                )
            reader = DecryptingReader(raw, passphrase)
        stream: Any = reader if reader is not None else raw
        try:
            archive = tarfile.open(fileobj=stream, mode="r|")  # noqa: SIM115  # closed by the with below
        except (tarfile.TarError, EOFError) as exc:
            raise BackupError(f"This is not a Régie backup (not a tar archive: {exc}).") from None
        found: dict[str, Part] = {}
        manifest_raw = digest_raw = b""
        with archive:
            for member in _members(archive):
                name = _safe_name(member.name)
                if not member.isfile() or member.name in found:
                    raise BackupError(f"This is not a Régie backup: unexpected {member.name!r}.")
                extracted = archive.extractfile(member)
                assert extracted is not None  # noqa: S101  # a regular file, checked above
                if member.name in {MANIFEST, MANIFEST_DIGEST}:
                    if member.size > _MANIFEST_MAX_BYTES:
                        raise BackupError("This is not a Régie backup: its manifest is too large.")
                    data = _read_member(extracted, member.size)
                    if member.name == MANIFEST:
                        manifest_raw = data
                    else:
                        digest_raw = data
                    found[member.name] = Part(member.name, len(data), "")
                    continue
                target = staging.joinpath(*name.parts)
                target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                found[member.name] = _copy_member(extracted, member.size, target)
        if reader is not None:
            reader.drain()
    return _check_manifest(manifest_raw, digest_raw, found)


def _read_member(extracted: IO[bytes], size: int) -> bytes:
    try:
        data = extracted.read(size)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"The archive is damaged or truncated ({exc}).") from None
    if len(data) != size:
        raise BackupError("The archive is truncated.")
    return data


def _copy_member(extracted: IO[bytes], size: int, target: Path) -> Part:
    digest = hashlib.sha256()
    copied = 0
    descriptor = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_CLOEXEC, 0o600)
    with os.fdopen(descriptor, "wb") as output:
        while True:
            try:
                chunk = extracted.read(_COPY_BYTES)
            except (tarfile.TarError, EOFError, OSError) as exc:
                raise BackupError(f"The archive is damaged or truncated ({exc}).") from None
            if not chunk:
                break
            digest.update(chunk)
            output.write(chunk)
            copied += len(chunk)
    if copied != size:
        raise BackupError("The archive is truncated.")
    return Part(name="", size=copied, sha256=digest.hexdigest())


def _check_manifest(
    manifest_raw: bytes, digest_raw: bytes, found: dict[str, Part]
) -> dict[str, Any]:
    if MANIFEST not in found:
        raise BackupError("This is not a Régie backup: it has no manifest.json.")
    if MANIFEST_DIGEST not in found:
        raise BackupError("The archive is damaged or truncated: manifest.sha256 is missing.")
    if hashlib.sha256(manifest_raw).hexdigest() != digest_raw.decode("ascii", "replace").strip():
        raise BackupError("The archive is damaged: manifest.json does not match its SHA-256.")
    try:
        manifest: Any = json.loads(manifest_raw)
    except ValueError:
        raise BackupError("This is not a Régie backup: manifest.json is not JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("kind") != KIND:
        raise BackupError("This is not a Régie backup: its manifest is not Régie's.")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise BackupError(
            f"The archive has format version {version!r}; this Régie reads version "
            f"{FORMAT_VERSION} (restore it with the Régie version that wrote it: "
            f"{manifest.get('regie_version')})."
        )
    listed = {part["name"]: part for part in manifest.get("parts", [])}
    stored = {name: part for name, part in found.items() if name not in {MANIFEST, MANIFEST_DIGEST}}
    if set(listed) != set(stored):
        missing = sorted(set(listed) - set(stored))
        extra = sorted(set(stored) - set(listed))
        raise BackupError(
            f"The archive is damaged or truncated: missing {missing[:3]}, unlisted {extra[:3]}."
        )
    for name, part in stored.items():
        if part.size != listed[name]["size"] or part.sha256 != listed[name]["sha256"]:
            raise BackupError(f"The archive is damaged: {name} does not match its SHA-256.")
    return dict(manifest)
