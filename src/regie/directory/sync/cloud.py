"""Storing what Entra ID says of each person's Microsoft 365 account (MFA, licences).

The sync engine calls :func:`save_cloud_accounts` with the people an Entra ID source matched
and their entries; telework readiness reads the result (``PersonCloudAccount``) before the
records typed or imported by hand. A run that finds nothing new writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from regie.core.history import bulk_create_with_history, bulk_update_with_history
from regie.core.models import ChangeSource
from regie.directory.models import Person, PersonCloudAccount
from regie.directory.sync.entries import DirectoryEntry

FIELDS = ["mfa_registered", "licences"]


def save_cloud_accounts(*, accounts: Iterable[tuple[Person, DirectoryEntry]]) -> int:
    """Create or update each person's cloud account from their Entra entry; the rows written.

    An entry that knows neither MFA nor licences (a source without the permissions, or not
    Entra) creates nothing; on an existing account it sets both back to unknown, since a
    value Entra no longer vouches for must not keep showing as true. History rows record
    every change (source: system). One query when nothing changed, a fixed few otherwise.
    """
    pairs = list(accounts)
    existing = {
        account.person_id: account
        for account in PersonCloudAccount.objects.filter(
            person__in=[person.pk for person, _entry in pairs]
        ).select_related("person")
    }
    created: list[PersonCloudAccount] = []
    changed: list[PersonCloudAccount] = []
    for person, entry in pairs:
        licences = None if entry.licences is None else sorted(entry.licences)
        account = existing.get(person.pk)
        if account is None:
            if entry.mfa_registered is None and licences is None:
                continue
            created.append(
                PersonCloudAccount(
                    person=person, mfa_registered=entry.mfa_registered, licences=licences
                )
            )
        elif (account.mfa_registered, account.licences) != (entry.mfa_registered, licences):
            account.mfa_registered, account.licences = entry.mfa_registered, licences
            changed.append(account)
    if not created and not changed:
        return 0  # the usual run: one query, no transaction
    with transaction.atomic():
        bulk_create_with_history(instances=created, by=None, source=ChangeSource.SYSTEM)
        bulk_update_with_history(
            instances=changed, fields=FIELDS, by=None, source=ChangeSource.SYSTEM
        )
    return len(created) + len(changed)
