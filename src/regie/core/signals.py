"""Signals of the core, for the apps that hold something granted to a user account.

``credentials_changed`` is sent (``sender=User``, ``user=…``, ``reasons=frozenset`` of
:class:`~regie.core.models.CredentialChange`) after an account was saved disabled, with a new
password, or with another effective role, inside the transaction of that save. Whatever was
granted on the old credentials ends in a receiver: the core revokes API tokens
(``regie.core.tokens``); sessions, second factors or a directory sync may listen too.

It is detected on ``User.save()`` (what the admin, the forms and the services call); a
queryset ``update()`` of users bypasses it, so Régie's code never disables an account or
changes its password or role that way.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

from regie.core.models import User

credentials_changed = Signal()


def detect_credential_changes(
    sender: type[User],
    instance: User,
    created: bool,
    update_fields: frozenset[str] | None = None,
    raw: bool = False,
    **kwargs: Any,
) -> None:
    """``post_save`` receiver for ``User``: sends ``credentials_changed`` when needed."""
    if raw:  # loading fixtures: nothing was granted yet
        return
    reasons = frozenset() if created else instance.credential_changes(update_fields)
    instance.remember_credentials(update_fields)
    if reasons:
        credentials_changed.send(sender=User, user=instance, reasons=reasons)
