"""Secrets stored encrypted in the database (SIM PIN and PUK codes, directory passwords).

Fernet (AES-128-CBC with HMAC-SHA256) from ``cryptography``, with the key of the setting
``FIELD_ENCRYPTION_KEY``: ``REGIE_FIELD_ENCRYPTION_KEY`` (or ``_FILE``), else a key generated
once into ``REGIE_DATA_DIR/field_encryption_key`` beside the secret key. A database dump
alone does not give the codes away.
"""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@cache
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode("ascii"))


def encrypt(plain: str) -> str:
    if not plain:
        return ""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(plain.encode("utf-8")).decode("ascii")


class UndecryptableSecret(Exception):
    """The stored value was encrypted with another key."""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode("ascii")).decode()
    except InvalidToken:
        raise UndecryptableSecret from None
