"""Bearer token authentication: ``Authorization: Bearer regie_…``.

Only the SHA-256 of a token is stored; a request's token is hashed and looked up. Unknown
tokens are "invalid"; a token that is known but revoked or expired says so (and when), so
that its owner knows to make a new one, which tells an attacker nothing they could use. The
token's user must still be active and hold the role the token was created under (a
queryset ``update()`` of users skips the revocation on save; this check does not).

``last_used_at`` and ``last_used_address`` are written at most once a minute, or when the
address changes, so that reads do not turn into a write per request.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from regie.core.http import client_address
from regie.core.models import ApiToken, User, hash_token

KEYWORD = "Bearer"
LAST_USED_RESOLUTION = timedelta(minutes=1)


class BearerTokenAuthentication(BaseAuthentication):
    # Messages shared with DRF's TokenAuthentication, so DRF's catalogues translate them.
    no_credentials = gettext_lazy("Invalid token header. No credentials provided.")
    spaces = gettext_lazy("Invalid token header. Token string should not contain spaces.")
    invalid = gettext_lazy("Invalid token.")
    inactive = gettext_lazy("User inactive or deleted.")

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
        return self.authenticate_key(raw, address=client_address(request._request))

    def authenticate_key(self, raw: str, *, address: str | None = None) -> tuple[User, ApiToken]:
        try:
            token = ApiToken.objects.select_related("user").get(key_hash=hash_token(raw))
        except ApiToken.DoesNotExist:
            raise exceptions.AuthenticationFailed(self.invalid) from None
        refuse_unusable_token(token)
        self.record_use(token, address)
        return token.user, token

    @staticmethod
    def record_use(token: ApiToken, address: str | None) -> None:
        now = timezone.now()
        if (
            token.last_used_at is None
            or now - token.last_used_at >= LAST_USED_RESOLUTION
            or address != token.last_used_address
        ):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_address=address)
            token.last_used_at = now
            token.last_used_address = address

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) to unauthenticated requests.
        return f'{KEYWORD} realm="api"'


def _local_date(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


def refuse_unusable_token(token: ApiToken) -> None:
    """401 with the reason for a token that is revoked, expired, or whose account is
    disabled or no longer has the role the token was created under."""
    if token.revoked_at is not None:
        raise exceptions.AuthenticationFailed(
            _("This token was revoked on %(date)s: %(reason)s.")
            % {
                "date": _local_date(token.revoked_at),
                "reason": str(token.get_revoked_reason_display()).lower(),
            }
        )
    if token.expires_at is not None and token.expires_at <= timezone.now():
        raise exceptions.AuthenticationFailed(
            _("This token expired on %(date)s.") % {"date": _local_date(token.expires_at)}
        )
    if not token.user.is_active:
        raise exceptions.AuthenticationFailed(BearerTokenAuthentication.inactive)
    if token.role != token.user.effective_role:
        raise exceptions.AuthenticationFailed(
            _("This token was created for another role of its account.")
        )
