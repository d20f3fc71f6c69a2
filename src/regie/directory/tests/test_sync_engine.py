"""The directory sync engine, fed with DirectoryEntry values as a directory reader yields them:
people matched on the permanent id only, exactly the changed fields written with history
rows (source "directory"), accounts following the directory, nothing deleted."""

import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regie.core.history import history_of
from regie.core.models import ChangeRecord, ChangeSource, Role, User
from regie.core.testing import bearer_client
from regie.directory.models import (
    Department,
    DirectorySource,
    DirectorySyncRun,
    OrganisationKind,
    Person,
    SourceKind,
    SyncStatus,
)
from regie.directory.sync.engine import sync
from regie.directory.sync.entries import DirectoryEntry
from regie.directory.tests.factories import (
    DepartmentFactory,
    OrganisationFactory,
    PersonFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db

GUID_ALICE = "0b4f2f1e-7a10-4a55-9a3e-1d9f1c2b3a01"
GUID_BRUNO = "0b4f2f1e-7a10-4a55-9a3e-1d9f1c2b3a02"
GUID_CLAIRE = "0b4f2f1e-7a10-4a55-9a3e-1d9f1c2b3a03"


@pytest.fixture
def root(db):
    return OrganisationFactory(name="Mellois en Poitou", kind=OrganisationKind.INTERCOMMUNALITY)


@pytest.fixture
def source(root):
    return DirectorySource.objects.create(
        name="AD Melle",
        kind=SourceKind.ACTIVE_DIRECTORY,
        url="ldap://127.0.0.1:389",
        bind_dn="CN=regie,CN=Users,DC=mellois,DC=lan",
        base_dn="DC=mellois,DC=lan",
        role_mapping=[["GG-Regie-Admins", Role.ADMIN], ["GG-Informatique", Role.TECHNICIAN]],
    )


@pytest.fixture
def sites(db):
    return {
        "melle": SiteFactory(name="Médiathèque de Melle"),
        "pool": SiteFactory(name="Piscine de Chef-Boutonne"),
    }


def entries():
    return [
        DirectoryEntry(
            directory_id=GUID_ALICE,
            username="amartin",
            first_name="Alice",
            last_name="Martin",
            email="alice.martin@mellois.fr",
            phone="05 49 00 00 01",
            department="Finances",
            site="mediatheque de MELLE",
            job_title="Comptable",
            groups=frozenset({"GG-Tous"}),
        ),
        DirectoryEntry(
            directory_id=GUID_BRUNO,
            username="bpetit",
            first_name="Bruno",
            last_name="Petit",
            email="bruno.petit@mellois.fr",
            department="Informatique",
            site="Piscine de Chef-Boutonne",
            job_title="Technicien",
            manager_id=GUID_CLAIRE,
            groups=frozenset({"gg-informatique"}),
        ),
        DirectoryEntry(
            directory_id=GUID_CLAIRE,
            username="cdubois",
            first_name="Claire",
            last_name="Dubois",
            email="claire.dubois@mellois.fr",
            department="Informatique",
            site="Château d'eau",
            groups=frozenset({"GG-Regie-Admins", "GG-Informatique"}),
        ),
    ]


def replaced(items, directory_id, **changes):
    return [
        dataclasses.replace(entry, **changes) if entry.directory_id == directory_id else entry
        for entry in items
    ]


def test_first_sync_creates_people_departments_and_accounts(source, sites, root):
    run = sync(source, dry_run=False, entries=entries())

    assert run.status == SyncStatus.OK, run.error
    assert (run.created, run.updated, run.disabled, run.unchanged) == (3, 0, 0, 0)
    alice = Person.objects.get(directory_id=GUID_ALICE)
    assert (alice.first_name, alice.last_name, alice.email, alice.job_title) == (
        "Alice",
        "Martin",
        "alice.martin@mellois.fr",
        "Comptable",
    )
    assert alice.site == sites["melle"]  # matched without case or accents
    assert alice.department.name == "Finances"
    assert alice.department.organisation == root
    assert alice.directory_source == source
    assert sorted(Department.objects.values_list("name", flat=True)) == [
        "Finances",
        "Informatique",
    ]
    bruno = Person.objects.get(directory_id=GUID_BRUNO)
    claire = Person.objects.get(directory_id=GUID_CLAIRE)
    assert bruno.manager == claire
    assert claire.site is None  # "Château d'eau" is not a Régie site: reported, not invented
    assert run.warnings == [
        "Le site « Château d'eau » est inconnu de Régie (1 personne) : ajoutez-le ou renommez-le."
    ]
    account = User.objects.get(username="amartin")
    assert alice.user == account
    assert (account.first_name, account.email, account.is_active) == (
        "Alice",
        "alice.martin@mellois.fr",
        True,
    )
    assert not account.has_usable_password()
    assert {u.username: u.role for u in User.objects.filter(person__isnull=False)} == {
        "amartin": Role.STAFF,
        "bpetit": Role.TECHNICIAN,
        "cdubois": Role.ADMIN,  # the first matching group of the mapping wins
    }
    creation = history_of(alice).get()
    assert (creation.action, creation.source) == ("create", ChangeSource.DIRECTORY)
    assert DirectorySyncRun.objects.get() == run


def test_rename_move_and_disable_update_exactly_those_people(source, sites):
    sync(source, dry_run=False, entries=entries())
    alice, bruno, claire = (
        Person.objects.get(directory_id=guid) for guid in (GUID_ALICE, GUID_BRUNO, GUID_CLAIRE)
    )
    changed = replaced(
        entries(), GUID_ALICE, last_name="Martin-Roux", email="alice.roux@mellois.fr"
    )
    changed = replaced(changed, GUID_BRUNO, department="Écoles", site="Médiathèque de Melle")
    changed = replaced(changed, GUID_CLAIRE, active=False)
    before = ChangeRecord.objects.count()

    run = sync(source, dry_run=False, entries=changed)

    assert (run.created, run.updated, run.disabled, run.unchanged) == (0, 2, 1, 0)
    alice.refresh_from_db()
    assert (alice.last_name, alice.email) == ("Martin-Roux", "alice.roux@mellois.fr")
    renames = history_of(alice).filter(action="update")
    assert {(r.field, r.old_value, r.new_value, r.source) for r in renames} == {
        ("last_name", "Martin", "Martin-Roux", ChangeSource.DIRECTORY),
        ("email", "alice.martin@mellois.fr", "alice.roux@mellois.fr", ChangeSource.DIRECTORY),
    }
    bruno.refresh_from_db()
    assert (bruno.department.name, bruno.site) == ("Écoles", sites["melle"])
    assert {(r.field, r.old_value, r.new_value) for r in history_of(bruno)} == {
        ("department", "Informatique", "Écoles"),
        ("site", "Piscine de Chef-Boutonne", "Médiathèque de Melle"),
        ("", "", ""),  # the creation
    }
    claire.refresh_from_db()
    assert claire.active is False
    assert claire.user.is_active is False
    # People: 2 + 2 + 1 fields; accounts: Alice's last name and e-mail, Claire's is_active;
    # the new department: one creation row.
    assert ChangeRecord.objects.count() - before == 9
    assert {(c["action"], c["person"]) for c in run.changes} == {
        ("update", "Alice Martin-Roux"),
        ("update", "Bruno Petit"),
        ("disable", "Claire Dubois"),
    }


def test_a_person_is_matched_on_the_permanent_id_never_on_a_name(source, sites):
    sync(source, dry_run=False, entries=entries())
    # Another account takes Alice's names; Alice's own id comes back with new names.
    twin = DirectoryEntry(
        directory_id="0b4f2f1e-7a10-4a55-9a3e-1d9f1c2b3a09",
        username="amartin2",
        first_name="Alice",
        last_name="Martin",
    )
    changed = [*replaced(entries(), GUID_ALICE, first_name="Alicia"), twin]

    run = sync(source, dry_run=False, entries=changed)

    assert (run.created, run.updated) == (1, 1)
    assert Person.objects.get(directory_id=GUID_ALICE).first_name == "Alicia"
    assert Person.objects.filter(first_name="Alice", last_name="Martin").get().directory_id == (
        twin.directory_id
    )


def test_a_person_missing_from_the_directory_is_made_inactive_never_deleted(source, sites):
    sync(source, dry_run=False, entries=entries())
    hand_typed = PersonFactory(first_name="Denis", last_name="Moreau")

    run = sync(source, dry_run=False, entries=entries()[:2])

    claire = Person.objects.get(directory_id=GUID_CLAIRE)
    assert (claire.active, claire.user.is_active) == (False, False)
    assert (run.not_in_directory, run.disabled, run.unchanged) == (1, 0, 2)
    assert [c["action"] for c in run.changes] == ["not_in_directory"]
    hand_typed.refresh_from_db()
    assert hand_typed.active is True  # not from the directory: left alone
    again = sync(source, dry_run=False, entries=entries()[:2])
    assert (again.not_in_directory, again.changes) == (1, [])


def test_a_disabled_account_loses_its_session_and_its_token_at_once(source, sites, client):
    sync(source, dry_run=False, entries=entries())
    claire = User.objects.get(username="cdubois")
    client.force_login(claire)
    api = bearer_client(claire)
    assert client.get(reverse("directory:person-list")).status_code == 200
    assert api.get("/api/v1/people/").status_code == 200

    sync(source, dry_run=False, entries=replaced(entries(), GUID_CLAIRE, active=False))

    response = client.get(reverse("directory:person-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert api.get("/api/v1/people/").status_code == 401


def test_dry_run_writes_nothing_but_lists_the_changes(source, sites):
    sync(source, dry_run=False, entries=entries())
    changed = replaced(entries(), GUID_ALICE, job_title="Cheffe comptable", department="Paie")
    counts = (Person.objects.count(), Department.objects.count(), ChangeRecord.objects.count())

    run = sync(source, dry_run=True, entries=changed)

    assert run.dry_run is True
    assert (run.updated, run.unchanged) == (1, 2)
    assert run.changes == [
        {
            "action": "update",
            "directory_id": GUID_ALICE,
            "person": "Alice Martin",
            "person_id": Person.objects.get(directory_id=GUID_ALICE).pk,
            "fields": [
                {
                    "field": "job_title",
                    "label": "fonction",
                    "old": "Comptable",
                    "new": "Cheffe comptable",
                },
                {"field": "department", "label": "service", "old": "Finances", "new": "Paie"},
            ],
        }
    ]
    assert (
        Person.objects.count(),
        Department.objects.count(),
        ChangeRecord.objects.count(),
    ) == counts
    assert Person.objects.get(directory_id=GUID_ALICE).job_title == "Comptable"


def test_role_follows_the_groups_but_a_superuser_keeps_its_powers(source, sites):
    sync(source, dry_run=False, entries=entries())
    User.objects.filter(username="cdubois").update(is_superuser=True)

    sync(
        source,
        dry_run=False,
        entries=replaced(
            replaced(entries(), GUID_ALICE, groups=frozenset({"GG-Informatique"})),
            GUID_CLAIRE,
            groups=frozenset(),
        ),
    )

    assert User.objects.get(username="amartin").role == Role.TECHNICIAN
    claire = User.objects.get(username="cdubois")
    assert (claire.role, claire.is_superuser) == (Role.ADMIN, True)


def test_a_hand_typed_person_is_taken_over_through_the_e_mail(source, sites):
    typed = PersonFactory(first_name="Alice", last_name="Martin", email="Alice.Martin@mellois.fr")

    run = sync(source, dry_run=False, entries=entries())

    taken_over = Person.objects.get(pk=typed.pk)
    assert (taken_over.directory_id, taken_over.email) == (GUID_ALICE, "alice.martin@mellois.fr")
    assert (run.created, run.updated) == (2, 1)
    assert Person.objects.filter(last_name="Martin").count() == 1


def test_a_local_account_with_the_same_name_is_never_taken_over(source, sites, admin_user):
    items = replaced(entries(), GUID_ALICE, username="admin")

    run = sync(source, dry_run=False, entries=items)

    alice = Person.objects.get(directory_id=GUID_ALICE)
    assert alice.user is None
    admin_user.refresh_from_db()
    assert (admin_user.role, admin_user.has_usable_password()) == (Role.ADMIN, True)
    assert "Le nom de compte admin est déjà utilisé par un autre compte" in run.warnings[0]


def test_a_failing_source_writes_nothing_and_records_a_failed_run(source, sites):
    def broken():
        yield from entries()
        raise ConnectionError("LDAP server 127.0.0.1:389 went away")

    run = sync(source, dry_run=False, entries=broken())

    assert run.status == SyncStatus.FAILED
    assert run.error == "ConnectionError: LDAP server 127.0.0.1:389 went away"
    assert (Person.objects.count(), User.objects.count(), Department.objects.count()) == (0, 0, 0)
    assert DirectorySyncRun.objects.get().status == SyncStatus.FAILED


def test_a_failed_write_rolls_back_the_whole_run(source, sites):
    # Two directory accounts with one e-mail: the second insert breaks the unique e-mail.
    items = replaced(entries(), GUID_BRUNO, email="alice.martin@mellois.fr")

    run = sync(source, dry_run=False, entries=items)

    assert run.status == SyncStatus.FAILED
    assert "IntegrityError" in run.error
    assert (Person.objects.count(), User.objects.count(), Department.objects.count()) == (0, 0, 0)
    assert ChangeRecord.objects.count() == 0


def test_a_bad_configuration_is_refused_with_a_clear_error(root):
    source = DirectorySource.objects.create(
        name="AD", kind=SourceKind.ACTIVE_DIRECTORY, url="dc.mellois.lan", base_dn=""
    )

    run = sync(source, dry_run=False, entries=entries())

    assert run.status == SyncStatus.FAILED
    assert run.error == (
        "Indiquez le serveur sous la forme ldap://hôte ou ldaps://hôte. "
        "Indiquez le DN de base sous lequel chercher les utilisateurs."
    )
    assert Person.objects.count() == 0


def test_twice_the_same_id_fails_the_run(source):
    items = [*entries(), entries()[0]]

    run = sync(source, dry_run=False, entries=items)

    assert run.status == SyncStatus.FAILED
    assert run.error == f"L'annuaire a renvoyé deux fois l'identifiant {GUID_ALICE}."


def test_an_unchanged_run_of_2000_people_writes_nothing(source, sites):
    DepartmentFactory(name="Service 0")
    generated = [
        DirectoryEntry(
            directory_id=f"00000000-0000-4000-8000-{n:012d}",
            username=f"agent{n}",
            first_name=f"Prénom{n}",
            last_name=f"Nom{n}",
            email=f"agent{n}@mellois.fr",
            department=f"Service {n % 40}",
            site="Piscine de Chef-Boutonne" if n % 2 else "Médiathèque de Melle",
            manager_id=f"00000000-0000-4000-8000-{n // 10:012d}" if n >= 10 else "",
            groups=frozenset({"GG-Tous"}),
        )
        for n in range(2000)
    ]
    first = sync(source, dry_run=False, entries=generated)
    assert first.status == SyncStatus.OK, first.error
    assert first.created == 2000
    assert Person.objects.filter(manager__isnull=False).count() == 1990

    with CaptureQueriesContext(connection) as queries:
        second = sync(source, dry_run=False, entries=generated)

    assert (second.unchanged, second.changes) == (2000, [])
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    # The run's own log line is the only row written.
    assert len(writes) == 1
    assert "directory_directorysyncrun" in writes[0]
    assert len(queries.captured_queries) < 15
