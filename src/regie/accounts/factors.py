"""The second factors of an account: TOTP apps, passkeys and recovery codes.

A session is verified when ``request.session[SECOND_FACTOR]`` holds how the second factor was
given: "totp", "recovery", "webauthn", or "sso" (set by single sign-on when the provider said
the login carried one). Any non-empty value counts.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from regie.core.models import User

SECOND_FACTOR = "regie_second_factor"
# Recovery codes just generated, shown once by the recovery codes page.
NEW_CODES = "regie_new_recovery_codes"
RECOVERY_DEVICE_NAME = "recovery"
RECOVERY_CODE_COUNT = 10
# Recovery codes are shown once and stored hashed: 12 characters of this alphabet (60 bits).
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def has_confirmed_factor(user: User) -> bool:
    """Whether the account has a TOTP app or a passkey (recovery codes alone do not count)."""
    return bool(
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )


def is_exempt(user: User) -> bool:
    from regie.accounts.models import AccountSecurity

    return AccountSecurity.objects.filter(user=user, mfa_exempt=True).exists()


def factor_required(user: User) -> bool:
    """Whether the account must have a second factor before it opens any page."""
    return user.effective_role in settings.MFA_REQUIRED_ROLES and not is_exempt(user)


def session_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(SECOND_FACTOR))


def mark_verified(request: HttpRequest, how: str, device: object | None = None) -> None:
    """The session's second factor was given (``how``: totp, recovery, webauthn)."""
    if device is not None:
        otp_login(request, device)
    request.session[SECOND_FACTOR] = how


# --- TOTP ----------------------------------------------------------------------------------


def pending_totp_device(*, user: User) -> TOTPDevice:
    """The account's TOTP device being set up (created unconfirmed the first time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="", confirmed=False)
    return device


def totp_qr_svg(device: TOTPDevice) -> SafeString:
    """The device's otpauth:// URL as an inline SVG QR code (segno's own output)."""
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=4, border=2, dark="#1b1f24", light="#ffffff")
    return mark_safe(svg)  # noqa: S308  # segno's own SVG, no user text besides the URL it encodes


def totp_secret(device: TOTPDevice) -> str:
    """The secret in base32 by groups of four, for apps that cannot read the QR code."""
    import base64

    raw = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def confirm_totp_device(*, device: TOTPDevice, code: str, name: str) -> bool:
    """Confirm the pending device with a code from the app; False (nothing saved) if wrong."""
    if not device.verify_token(code.replace(" ", "")):
        return False
    device.confirmed = True
    device.name = name
    device.save(update_fields=["confirmed", "name"])
    return True


# --- recovery codes -----------------------------------------------------------------------


def _hash_code(code: str) -> str:
    normalised = code.lower().replace("-", "").replace(" ", "")
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


def new_recovery_codes(*, user: User) -> list[str]:
    """Replace the account's recovery codes by ten new ones, returned once (stored hashed)."""
    codes = [
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(12))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=_hash_code(code)) for code in codes
        )
    return [f"{code[:4]}-{code[4:8]}-{code[8:]}" for code in codes]


def recovery_codes_left(user: User) -> int:
    return int(
        StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE_NAME).count()
    )


# --- verifying and removing ------------------------------------------------------------------


def verify_code(*, request: HttpRequest, user: User, code: str) -> str | None:
    """Check a TOTP code or a recovery code; on success mark the session verified and return
    how ("totp" or "recovery"). A code already used (TOTP replay, spent recovery code) fails."""
    compact = code.strip().replace(" ", "")
    if compact.isdigit():
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(compact):
                mark_verified(request, "totp", device)
                return "totp"
        return None
    recovery = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).first()
    if recovery is not None and recovery.verify_token(_hash_code(compact)):
        mark_verified(request, "recovery", recovery)
        return "recovery"
    return None


@dataclass(frozen=True)
class Factor:
    """One TOTP app or passkey, as the security page lists it."""

    kind: str  # "totp" or "webauthn"
    pk: int
    name: str
    created_at: datetime | None
    last_used_at: datetime | None


def factors_of(user: User) -> list[Factor]:
    totp = [
        Factor("totp", d.pk, d.name, d.created_at, d.last_used_at)
        for d in TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk")
    ]
    keys = [
        Factor("webauthn", d.pk, d.name, d.created_at, d.last_used_at)
        for d in WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("pk")
    ]
    return totp + keys


def remove_factor(*, user: User, kind: str, pk: int) -> bool:
    """Delete one of the account's own factors; with the last one go the recovery codes.
    False when it is not one of the account's."""
    model = TOTPDevice if kind == "totp" else WebAuthnCredential
    with transaction.atomic():
        deleted, _detail = model.objects.filter(user=user, pk=pk, confirmed=True).delete()
        if deleted and not has_confirmed_factor(user):
            StaticDevice.objects.filter(user=user).delete()
    return bool(deleted)
