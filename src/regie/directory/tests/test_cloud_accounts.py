"""Storing Entra ID's MFA registration and licences per person (``save_cloud_accounts``)."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regie.core.history import history_of
from regie.directory.models import PersonCloudAccount
from regie.directory.sync.cloud import save_cloud_accounts
from regie.directory.sync.entries import DirectoryEntry
from regie.directory.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def entry(number, *, mfa, licences):
    return DirectoryEntry(
        directory_id=f"id-{number}", username=f"u{number}", mfa_registered=mfa, licences=licences
    )


def person(last_name="Durand"):
    return PersonFactory(last_name=last_name)


def stored():
    return {
        account.person.last_name: (account.mfa_registered, account.licences)
        for account in PersonCloudAccount.objects.select_related("person")
    }


def test_first_save_creates_accounts_with_history_and_skips_entries_that_know_nothing():
    alice, bruno, chloe = (person(name) for name in ("Alice", "Bruno", "Chloé"))
    written = save_cloud_accounts(
        accounts=[
            (alice, entry(1, mfa=True, licences=("SPE_E3", "ENTERPRISEPACK"))),
            (bruno, entry(2, mfa=False, licences=())),
            (chloe, entry(3, mfa=None, licences=None)),  # an LDAP entry, or no permission
        ]
    )
    assert written == 2
    assert stored() == {
        "Alice": (True, ["ENTERPRISEPACK", "SPE_E3"]),
        "Bruno": (False, []),
    }
    account = PersonCloudAccount.objects.get(person=alice)
    assert [(r.action, r.source, r.actor) for r in history_of(account)] == [
        ("create", "system", None)
    ]


def test_an_unchanged_run_writes_nothing_in_one_query():
    people = [person() for _ in range(30)]
    accounts = [(p, entry(p.pk, mfa=p.pk % 2 == 0, licences=("STANDARDPACK",))) for p in people]
    assert save_cloud_accounts(accounts=accounts) == 30
    before = {a.pk: a.updated_at for a in PersonCloudAccount.objects.all()}
    with CaptureQueriesContext(connection) as queries:
        assert save_cloud_accounts(accounts=accounts) == 0
    assert len(queries.captured_queries) == 1
    assert {a.pk: a.updated_at for a in PersonCloudAccount.objects.all()} == before


def test_a_change_is_saved_with_its_history_and_unknown_replaces_a_stale_value():
    alice, bruno = person("Alice"), person("Bruno")
    with time_machine.travel(dt.datetime(2026, 11, 2, 8, tzinfo=dt.UTC), tick=False):
        save_cloud_accounts(
            accounts=[
                (alice, entry(1, mfa=False, licences=("STANDARDPACK",))),
                (bruno, entry(2, mfa=True, licences=("STANDARDPACK",))),
            ]
        )
    with time_machine.travel(dt.datetime(2026, 12, 7, 8, tzinfo=dt.UTC), tick=False):
        written = save_cloud_accounts(
            accounts=[
                (alice, entry(1, mfa=True, licences=("STANDARDPACK",))),
                (bruno, entry(2, mfa=None, licences=None)),  # the permissions were withdrawn
            ]
        )
    assert written == 2
    assert stored() == {"Alice": (True, ["STANDARDPACK"]), "Bruno": (None, None)}
    account = PersonCloudAccount.objects.get(person=alice)
    assert account.updated_at == dt.datetime(2026, 12, 7, 8, tzinfo=dt.UTC)
    change = history_of(account).get(action="update")
    assert (change.field, change.old_value, change.new_value) == ("mfa_registered", "non", "oui")
