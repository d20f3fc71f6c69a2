"""Creating and revoking personal API tokens, and revoking them when their user's
credentials change."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from regie.core.history import save_with_history
from regie.core.models import ApiToken, ChangeSource, CredentialChange, User, hash_token

HINT_LENGTH = len(ApiToken.PREFIX) + 4
DEFAULT_LIFETIME = timedelta(days=365)


def default_expiry() -> datetime:
    """When a new token expires unless its creator chooses otherwise: in a year."""
    return timezone.now() + DEFAULT_LIFETIME


def create_api_token(
    *,
    user: User,
    name: str,
    scope: str,
    expires_at: datetime | None,
    by: User | None = None,
    source: str = ChangeSource.WEB,
) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its raw key, which is shown once and never stored.

    ``expires_at`` None is a token that never expires; the forms offer
    :func:`default_expiry`. The token remembers the user's effective role: a role change
    revokes it.
    """
    raw_key = ApiToken.new_raw_key()
    token = ApiToken(
        user=user,
        name=name,
        scope=scope,
        expires_at=expires_at,
        role=user.effective_role,
        key_hash=hash_token(raw_key),
        key_hint=raw_key[:HINT_LENGTH],
    )
    token.full_clean()
    save_with_history(instance=token, by=by or user, source=source)
    return token, raw_key


def revoke_api_token(
    *,
    token: ApiToken,
    by: User | None,
    source: str = ChangeSource.WEB,
    reason: str = ApiToken.RevokedReason.REVOKED,
) -> ApiToken:
    """Revoke ``token`` at once; revoking a revoked token changes nothing."""
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_reason = reason
            save_with_history(instance=token, by=by, source=source)
    return token


# When several things change at once (an account disabled and its role changed), the token
# says the most telling one.
_REASON_ORDER = (CredentialChange.DISABLED, CredentialChange.PASSWORD, CredentialChange.ROLE)


def revoke_tokens_of_user(
    *, user: User, reasons: Iterable[str], source: str = ChangeSource.SYSTEM
) -> list[ApiToken]:
    """Revoke every token of ``user`` not yet revoked (expired ones too: nothing is left to
    revive), with the reason, one history row each. Returns the tokens revoked."""
    given = set(reasons)
    reason = next(ApiToken.RevokedReason(r.value) for r in _REASON_ORDER if r in given)
    with transaction.atomic():
        tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
        for token in tokens:
            revoke_api_token(token=token, by=None, source=source, reason=reason)
    return tokens


def revoke_tokens_on_credentials_changed(
    sender: type[User], user: User, reasons: frozenset[str], **kwargs: Any
) -> None:
    """``credentials_changed`` receiver: a token never outlives the credentials it was
    created on."""
    revoke_tokens_of_user(user=user, reasons=reasons)
