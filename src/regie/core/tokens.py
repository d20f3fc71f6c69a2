"""Creating and revoking personal API tokens."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from regie.core.history import save_with_history
from regie.core.models import ApiToken, ChangeSource, User, hash_token

HINT_LENGTH = len(ApiToken.PREFIX) + 4


def create_api_token(
    *, user: User, name: str, by: User | None = None, source: str = ChangeSource.WEB
) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its raw key, which is shown once and never stored."""
    raw_key = ApiToken.new_raw_key()
    token = ApiToken(
        user=user, name=name, key_hash=hash_token(raw_key), key_hint=raw_key[:HINT_LENGTH]
    )
    token.full_clean()
    save_with_history(instance=token, by=by or user, source=source)
    return token, raw_key


def revoke_api_token(
    *, token: ApiToken, by: User | None, source: str = ChangeSource.WEB
) -> ApiToken:
    """Revoke ``token`` at once; revoking a revoked token changes nothing."""
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            save_with_history(instance=token, by=by, source=source)
    return token
