"""Checking and storing files joined to tickets.

A file is accepted when its size is within ``HELPDESK_ATTACHMENT_MAX_BYTES``, its extension
is on the allow-list AND its content is of that type: binary formats by their signature
(magic bytes, read by ``filetype``), plain text by being valid UTF-8 without NUL bytes and
without any known binary signature. An ``.exe`` renamed ``.pdf`` is refused. Accepted files
are stored under ``HELPDESK_ATTACHMENT_DIR`` (outside the web root) with random names and are
only served by the attachment view, which checks access.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# extension → (content type served, kinds ``filetype`` may recognise in the content).
# An empty set means plain text: no binary signature may be found.
ALLOWED_TYPES: dict[str, tuple[str, frozenset[str]]] = {
    "pdf": ("application/pdf", frozenset({"pdf"})),
    "png": ("image/png", frozenset({"png"})),
    "jpg": ("image/jpeg", frozenset({"jpg"})),
    "jpeg": ("image/jpeg", frozenset({"jpg"})),
    "gif": ("image/gif", frozenset({"gif"})),
    "webp": ("image/webp", frozenset({"webp"})),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        frozenset({"docx", "zip"}),
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        frozenset({"xlsx", "zip"}),
    ),
    "odt": ("application/vnd.oasis.opendocument.text", frozenset({"odt", "zip"})),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", frozenset({"ods", "zip"})),
    "txt": ("text/plain", frozenset()),
    "log": ("text/plain", frozenset()),
    "csv": ("text/csv", frozenset()),
}
_HEAD_BYTES = 8192


@dataclass(frozen=True)
class CheckedFile:
    name: str
    size: int
    content_type: str


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _is_plain_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The head may cut a multi-byte character in two at its end.
        return exc.start >= len(head) - 3
    return True


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Raise ``ValidationError`` (on ``file``) unless the upload may be stored."""
    name = Path(upload.name or "").name.strip()[:255]
    size = upload.size or 0
    limit = settings.HELPDESK_ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            {
                "file": _("The file is too large (%(size)s); the limit is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
            }
        )
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    extension = _extension(name)
    if extension not in ALLOWED_TYPES:
        raise ValidationError(
            {
                "file": _("Files of this type are not accepted. Accepted: %(types)s.")
                % {"types": ", ".join(sorted(ALLOWED_TYPES))}
            }
        )
    content_type, kinds = ALLOWED_TYPES[extension]
    upload.seek(0)
    head = upload.read(_HEAD_BYTES)
    upload.seek(0)
    detected = filetype.guess(head)
    if kinds:
        matches = detected is not None and detected.extension in kinds
    else:
        matches = detected is None and _is_plain_text(head)
    if not matches:
        raise ValidationError(
            {
                "file": _("The content of “%(name)s” is not a .%(extension)s file.")
                % {"name": name, "extension": extension}
            }
        )
    return CheckedFile(name=name, size=size, content_type=content_type)


def storage_dir() -> Path:
    directory = Path(settings.HELPDESK_ATTACHMENT_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return directory


def store(upload: UploadedFile) -> str:
    """Write the upload under a new random name; returns that name."""
    stored_name = secrets.token_hex(24)
    path = storage_dir() / stored_name
    with path.open("xb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    return stored_name


def stored_path(stored_name: str) -> Path:
    return storage_dir() / stored_name


def discard(stored_name: str) -> None:
    stored_path(stored_name).unlink(missing_ok=True)
