"""Passkeys and security keys through django-otp-webauthn, fitted to Régie: the relying party is
the host people reach Régie at, and a passkey marks the session as verified the way a TOTP
code does (``regie_second_factor`` = "webauthn")."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django_otp_webauthn import exceptions
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from regie.accounts.factors import (
    NEW_CODES,
    SECOND_FACTOR,
    has_confirmed_factor,
    mark_verified,
    new_recovery_codes,
    recovery_codes_left,
)


def relying_party_id(request: HttpRequest) -> str:
    """``REGIE_PUBLIC_URL``'s host, else the request's (both without the port)."""
    if settings.PUBLIC_URL:
        return urlsplit(settings.PUBLIC_URL).hostname or ""
    return request.get_host().rsplit(":", 1)[0].strip("[]")


class Helper(WebAuthnHelper):
    def get_allowed_origins(self) -> list[str]:
        """The origin browsers sign: ``REGIE_PUBLIC_URL``'s, else this request's own."""
        if settings.PUBLIC_URL:
            parts = urlsplit(settings.PUBLIC_URL)
            return [f"{parts.scheme}://{parts.netloc}"]
        return [f"{self.request.scheme}://{self.request.get_host()}"]

    def get_credential_display_name(self, user: Any) -> str:
        return str(user.username)


class _RegistrationRules:
    """Adding a passkey needs a verified session when the account already has a factor (a
    password alone must not add one), whatever gave the second factor (TOTP, SSO…)."""

    request: HttpRequest

    def _check_user_verified(self, user: Any) -> None:
        if has_confirmed_factor(user) and not self.request.session.get(SECOND_FACTOR):
            raise exceptions.NotVerified()


class BeginRegistration(_RegistrationRules, BeginCredentialRegistrationView):
    pass


class CompleteRegistration(_RegistrationRules, CompleteCredentialRegistrationView):
    def post(self, *args: Any, **kwargs: Any) -> Any:
        response = super().post(*args, **kwargs)
        # The first factor set up during enrolment verifies the session it was set up in.
        if response.status_code == 200:
            if not self.request.session.get(SECOND_FACTOR):
                self.request.session[SECOND_FACTOR] = "webauthn"
            user = self.request.user
            if recovery_codes_left(user) == 0:  # type: ignore[arg-type]
                self.request.session[NEW_CODES] = new_recovery_codes(user=user)  # type: ignore[arg-type]
        return response


class BeginAuthentication(BeginCredentialAuthenticationView):
    pass


class CompleteAuthentication(CompleteCredentialAuthenticationView):
    def get_state(self) -> Any:
        """The ceremony's state, taken out of the session for good; a visitor who never began
        one gets 400 without a session being created for them."""
        state = self.request.session.pop("otp_webauthn_authentication_state", None)
        if not state:
            raise exceptions.InvalidState()
        self.request.session.save()
        return state

    def complete_auth(self, device: Any) -> Any:
        if self.request.user.is_authenticated and device.user_id != self.request.user.pk:
            # Signed in with a password as one account, a passkey of another: refused.
            raise exceptions.CredentialUserMismatch()
        super().complete_auth(device)
        mark_verified(self.request, "webauthn")
