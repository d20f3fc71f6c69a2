"""Bearer token authentication: ``Authorization: Bearer regie_…``.

Only the SHA-256 of a token is stored; a request's token is hashed and looked up. Revoked
tokens and tokens of deactivated accounts are refused. ``last_used_at`` is refreshed at
most once a minute so that reads do not turn into a write per request.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from regie.core.models import ApiToken, User, hash_token

KEYWORD = "Bearer"
LAST_USED_RESOLUTION = timedelta(minutes=1)


class BearerTokenAuthentication(BaseAuthentication):
    # Messages shared with DRF's TokenAuthentication, so DRF's catalogues translate them.
    no_credentials = _("Invalid token header. No credentials provided.")
    spaces = _("Invalid token header. Token string should not contain spaces.")
    invalid = _("Invalid token.")
    inactive = _("User inactive or deleted.")

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None  # another scheme, or none: let the session try
        if len(parts) == 1:
            raise exceptions.AuthenticationFailed(self.no_credentials)
        if len(parts) > 2:
            raise exceptions.AuthenticationFailed(self.spaces)
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(self.invalid) from None
        return self.authenticate_key(raw)

    def authenticate_key(self, raw: str) -> tuple[User, ApiToken]:
        try:
            token = ApiToken.objects.active().select_related("user").get(key_hash=hash_token(raw))
        except ApiToken.DoesNotExist:
            raise exceptions.AuthenticationFailed(self.invalid) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(self.inactive)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) to unauthenticated requests.
        return f'{KEYWORD} realm="api"'
