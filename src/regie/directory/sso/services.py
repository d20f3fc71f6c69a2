"""From verified ID token claims to a signed-in account: the person is found by the
directory's permanent id (never by a name or an e-mail address), the role follows the
provider's groups or app roles at every sign-in."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from regie.core.history import save_with_history
from regie.core.models import ChangeSource, Role, User
from regie.directory.models import Person
from regie.directory.sso import provider

logger = logging.getLogger(__name__)

# The first role whose group (or app role) the user holds wins, in this order; none: staff.
ROLE_ORDER = (Role.ADMIN, Role.TECHNICIAN, Role.READER, Role.CORRESPONDENT, Role.STAFF)
# RFC 8176 authentication methods that are a second factor (Entra ID says "mfa").
MFA_METHODS = frozenset({"mfa", "otp", "hwk", "fido", "swk"})
# The session key the second-factor middleware reads: non-empty means "second factor given".
SECOND_FACTOR_SESSION_KEY = "regie_second_factor"


class SignInRefused(Exception):
    """The provider vouched for the user, but Régie does not let them in."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def role_from_claims(claims: Mapping[str, Any]) -> str:
    """The role the groups (or app roles) of ``REGIE_OIDC_ROLE_CLAIM`` give; staff when none
    is mapped (least privilege), also when Entra left the groups out of the token (more
    groups than a token holds)."""
    held = claims.get(settings.OIDC_ROLE_CLAIM) or []
    if isinstance(held, str):
        held = [held]
    if not isinstance(held, list):
        return Role.STAFF
    if settings.OIDC_ROLE_CLAIM == "groups" and "groups" in (claims.get("_claim_names") or {}):
        logger.warning(
            "single sign-on: the token of %s names too many groups to carry them; "
            "assign the groups to the application in Entra ID (or use app roles)",
            claims.get(provider.id_claim()),
        )
    values = {str(value) for value in held}
    for role in ROLE_ORDER:
        if values & set(settings.OIDC_ROLES.get(role, [])):
            return role
    return Role.STAFF


def second_factor_given(claims: Mapping[str, Any]) -> bool:
    """Whether the provider says the user gave a second factor (``amr``, RFC 8176)."""
    methods = claims.get("amr") or []
    return isinstance(methods, list) and bool(MFA_METHODS & {str(m) for m in methods})


def _username_base(claims: Mapping[str, Any], directory_id: str) -> str:
    wanted = str(claims.get("preferred_username") or claims.get("email") or directory_id)
    cleaned = re.sub(r"[^\w.@+-]", "-", wanted)[:140].strip("-")
    return cleaned or directory_id[:140]


def _free_username(base: str) -> str:
    """``base``, or ``base-2``, ``base-3``… when an account already has it: a new account
    never takes over an existing one through its name."""
    username, number = base, 1
    while User.objects.filter(username__iexact=username).exists():
        number += 1
        username = f"{base}-{number}"
    return username


def _names(claims: Mapping[str, Any]) -> tuple[str, str]:
    first = str(claims.get("given_name") or "").strip()
    last = str(claims.get("family_name") or "").strip()
    if not first and not last:
        first, _sep, last = str(claims.get("name") or "").strip().partition(" ")
    if not first and not last:
        last = str(claims.get("preferred_username") or claims.get("email") or "?")
    return first[:100], last[:100]


def _email(claims: Mapping[str, Any]) -> str:
    email = str(claims.get("email") or "").strip()
    return email if "@" in email and len(email) <= 254 else ""


def _new_person(claims: Mapping[str, Any], directory_id: str) -> Person:
    first, last = _names(claims)
    email = _email(claims)
    if email and Person.objects.filter(email__iexact=email).exists():
        # Someone typed into Régie has this address: never bind to them on an e-mail claim;
        # the new person goes without it until the directory sync or a technician joins them.
        email = ""
    person = Person(first_name=first, last_name=last, email=email, directory_id=directory_id)
    save_with_history(instance=person, by=None, source=ChangeSource.SYSTEM)
    return person


def _new_account(claims: Mapping[str, Any], person: Person, role: str) -> User:
    directory_id = str(person.directory_id)
    user = User(
        username=_free_username(_username_base(claims, directory_id)),
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        role=role,
    )
    user.set_unusable_password()  # signs in through the provider only
    save_with_history(instance=user, by=None, source=ChangeSource.SYSTEM)
    person.user = user
    save_with_history(instance=person, by=None, source=ChangeSource.SYSTEM)
    return user


def sign_in_from_claims(*, claims: Mapping[str, Any]) -> User:
    """The account of the person whose directory id the claims carry, with the role the
    claims give (promotion and demotion recorded in the history). Creates the person and
    the account when missing. Raises SignInRefused for a disabled account or person."""
    directory_id = claims.get(provider.id_claim())
    if not isinstance(directory_id, str) or not directory_id.strip():
        raise SignInRefused(
            _("The identity provider did not send the user's permanent identifier (%(claim)s).")
            % {"claim": provider.id_claim()}
        )
    directory_id = directory_id.strip()[:64]
    role = role_from_claims(claims)
    with transaction.atomic():
        person = (
            Person.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(directory_id=directory_id)
            .first()
        )
        if person is None:
            person = _new_person(claims, directory_id)
        if not person.active:
            raise SignInRefused(_("This person has left the organisation in Régie."))
        user = person.user
        if user is None:
            return _new_account(claims, person, role)
        if not user.is_active:
            raise SignInRefused(_("This account is disabled in Régie."))
        if user.role != role:
            user.role = role
            save_with_history(instance=user, by=None, source=ChangeSource.SYSTEM)
    return user
