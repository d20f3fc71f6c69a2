"""Sign in with the directory password: an authentication backend for LDAP / Active Directory.

For the name typed on the login page, :class:`DirectoryPasswordBackend` looks the user up in
each enabled LDAP/AD source with the service account (``sAMAccountName``, ``DOMAIN\\name`` or
``userPrincipalName`` on AD, ``uid`` on LDAP, within the source's filter), then binds as that
user with the typed password — as its ``userPrincipalName`` on AD when it has one, else as its
DN. A successful bind signs in the Régie account of the person synced from that directory
entry (``Person.directory_id`` → ``person.user``). It never creates an account: a directory
user nobody linked to a Régie account cannot sign in.

Local accounts — no directory id, such as the break-glass administrators — keep signing in with
their Régie password through Django's ``ModelBackend``. A Régie account linked to the directory
does not: when its directory refuses the password, this backend stops the sign-in, so a
disabled or changed directory password cannot be bypassed with an old Régie password.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from regie.directory.models import DirectorySource, Person
from regie.directory.sync.entries import LdapSettings
from regie.directory.sync.ldap import (
    DirectoryError,
    RawUser,
    close,
    connect,
    is_active,
    paged_search,
    read_directory_id,
    text_of,
    user_filter,
)

logger = logging.getLogger(__name__)


def ldap_sources() -> list[LdapSettings]:
    """The settings of every enabled LDAP / Active Directory source.

    Entra ID sources are left out: their people sign in through single sign-on.
    """
    return [
        source.ldap_settings()
        for source in DirectorySource.objects.filter(enabled=True).order_by("pk")
        if source.is_ldap
    ]


def find_directory_user(settings: LdapSettings, username: str) -> RawUser | None:
    """The one entry the sign-in name designates in this source, read as the service account."""
    attributes = settings.attributes
    wanted = sorted(
        {
            attributes.get(name, "")
            for name in ("directory_id", "username", "principal_name", "active")
        }
        - {""}
    )
    connection = connect(settings)
    try:
        found = [
            RawUser(dn=dn, attributes=values)
            for dn, values in paged_search(
                connection, settings, user_filter(settings, username), wanted, page_size=2
            )
        ]
    finally:
        close(connection)
    return found[0] if len(found) == 1 else None


def password_accepted(settings: LdapSettings, user: RawUser, password: str) -> bool:
    """Whether the directory accepts the password for that user (a bind as the user)."""
    principal = text_of(user.attributes, settings.attributes.get("principal_name", ""))
    bind_name = principal if settings.kind == "ad" and principal else user.dn
    try:
        close(connect(settings, user=bind_name, password=password))
    except DirectoryError:
        return False
    return True


def linked_account(directory_id: str) -> Any:
    person = Person.objects.select_related("user").filter(directory_id=directory_id).first()
    return person.user if person is not None else None


class DirectoryPasswordBackend(ModelBackend):
    """Sign-in with the password of the LDAP / Active Directory the account is synced from."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not username or not password:
            return None
        sources = ldap_sources()
        if not sources:
            return None
        for settings in sources:
            try:
                user = self.authenticate_with(settings, username.strip(), password)
            except DirectoryError as error:
                logger.warning("Directory sign-in through %s impossible: %s", settings.url, error)
                continue
            if user is not None:
                return user
        if self.linked_to_directory(username):
            # ModelBackend must not accept a directory account's Régie password.
            raise PermissionDenied
        return None

    def authenticate_with(self, settings: LdapSettings, username: str, password: str) -> Any:
        if settings.kind == "ad" and "\\" in username:
            username = username.split("\\", 1)[1]  # DOMAIN\name, as Windows spells it
        entry = find_directory_user(settings, username)
        if entry is None:
            return None
        directory_id = read_directory_id(entry, settings.attributes.get("directory_id", ""))
        if not directory_id or not is_active(entry, settings.attributes.get("active", "")):
            return None
        user = linked_account(directory_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        if not password_accepted(settings, entry, password):
            return None
        return user

    def linked_to_directory(self, username: str) -> bool:
        """Whether the Régie account of that name is a synced person's (has a directory id)."""
        user_model = get_user_model()
        return (
            Person.objects.filter(
                directory_id__isnull=False,
                user__in=user_model._default_manager.filter(
                    **{f"{user_model.USERNAME_FIELD}__iexact": username.strip()}
                ),
            )
            .exclude(directory_id="")
            .exists()
        )
