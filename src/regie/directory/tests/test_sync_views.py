"""The directory sources' pages (administrators only), the preview → apply flow, and the
fields a sync owns: locked on the person's page and form, refused by the API.

The directory server itself is replaced by a fixed list of entries (``fetch_entries``): the
LDAP and Graph readers have their own tests against real servers."""

import pytest
from django.urls import reverse

from regie.core.encryption import decrypt
from regie.core.models import ChangeRecord, Role
from regie.core.testing import bearer_client
from regie.directory.models import (
    DirectorySource,
    DirectorySyncRun,
    OrganisationKind,
    Person,
    SourceKind,
)
from regie.directory.sync import engine
from regie.directory.sync.engine import sync
from regie.directory.sync.entries import DirectoryEntry
from regie.directory.tests.factories import OrganisationFactory, SiteFactory

pytestmark = pytest.mark.django_db

GUID = "9d2f1c4e-1111-4a55-9a3e-1d9f1c2b3a01"
ENTRIES = [
    DirectoryEntry(
        directory_id=GUID,
        username="amartin",
        first_name="Alice",
        last_name="Martin",
        email="alice.martin@mellois.fr",
        department="Finances",
        site="École de Melle",
        job_title="Comptable",
    )
]


@pytest.fixture
def source(db):
    root = OrganisationFactory(name="Mellois", kind=OrganisationKind.INTERCOMMUNALITY)
    source = DirectorySource(
        name="AD Melle",
        kind=SourceKind.ACTIVE_DIRECTORY,
        url="ldap://127.0.0.1:389",
        bind_dn="CN=regie,DC=mellois,DC=lan",
        base_dn="DC=mellois,DC=lan",
        organisation=root,
    )
    source.set_bind_password("s3cret-bind")
    source.save()
    return source


@pytest.fixture
def directory(monkeypatch):
    """The directory's current content, as its reader would return it."""
    entries = list(ENTRIES)
    monkeypatch.setattr(engine, "fetch_entries", lambda source, **_: iter(entries))
    return entries


@pytest.fixture
def synced(source, site):
    sync(source, dry_run=False, entries=ENTRIES)
    return Person.objects.get(directory_id=GUID)


LDAP_FORM = {
    "name": "AD Melle 2",
    "kind": "ad",
    "enabled": "on",
    "url": "ldaps://dc.mellois.lan",
    "bind_dn": "CN=regie,CN=Users,DC=mellois,DC=lan",
    "bind_password": "Motdepasse-de-liaison",
    "base_dn": "DC=mellois,DC=lan",
    "user_filter": "",
    "attribute_lines": "site = l\n",
    "role_lines": "GG-Regie-Admins = admin\nGG-Informatique = technician\n",
}


def test_an_administrator_adds_a_source_with_an_encrypted_password(client, admin_user):
    client.force_login(admin_user)

    response = client.post(reverse("directory:source-create"), LDAP_FORM)

    assert response.status_code == 302
    source = DirectorySource.objects.get(name="AD Melle 2")
    assert response["Location"] == source.get_absolute_url()
    assert "Motdepasse" not in source.bind_password_encrypted  # stored encrypted
    assert decrypt(source.bind_password_encrypted) == "Motdepasse-de-liaison"
    assert source.attributes == {"site": "l"}
    assert source.role_mapping == [["GG-Regie-Admins", "admin"], ["GG-Informatique", "technician"]]
    settings = source.ldap_settings()
    assert (settings.bind_password, settings.attributes["site"], settings.kind) == (
        "Motdepasse-de-liaison",
        "l",
        "ad",
    )
    page = client.get(reverse("directory:source-update", args=[source.pk])).content.decode()
    assert "Motdepasse-de-liaison" not in page
    assert source.bind_password_encrypted not in page


def test_an_empty_password_keeps_the_stored_one(client, admin_user, source):
    client.force_login(admin_user)
    data = {**LDAP_FORM, "name": "AD Melle", "bind_password": "", "url": "ldap://127.0.0.1"}

    response = client.post(reverse("directory:source-update", args=[source.pk]), data)

    assert response.status_code == 302
    source.refresh_from_db()
    assert decrypt(source.bind_password_encrypted) == "s3cret-bind"
    assert source.url == "ldap://127.0.0.1"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"url": "dc.mellois.lan"},
            "url",
            "Indiquez le serveur sous la forme ldap://hôte ou ldaps://hôte.",
        ),
        (
            {"role_lines": "GG-Tous = chef"},
            "role_lines",
            "Ligne 1 : écrivez « groupe = rôle », le rôle parmi admin, technician, reader, "
            "correspondent, staff.",
        ),
        (
            {"attribute_lines": "bureau = l"},
            "attribute_lines",
            "Ligne 1 : champ « bureau » inconnu",
        ),
        (
            {"start_tls": "on"},
            "start_tls",
            "StartTLS s'utilise avec ldap:// ; ldaps:// est déjà chiffré.",
        ),
        (
            {"kind": "entra", "tenant_id": "contoso", "client_id": ""},
            "tenant_id",
            "L'identifiant du locataire est un GUID (Entra ID → Vue d'ensemble).",
        ),
        (
            {
                "kind": "entra",
                "tenant_id": "72f988bf-86f1-41af-91ab-2d7cd011db47",
                "client_id": "4a1aa1d5-c567-49d0-ad0b-cd957a47f842",
            },
            "client_secret",
            "Indiquez le secret client de l'inscription d'application.",
        ),
    ],
)
def test_a_bad_configuration_is_refused_with_a_clear_error(
    client, admin_user, changes, field, message
):
    client.force_login(admin_user)

    response = client.post(reverse("directory:source-create"), {**LDAP_FORM, **changes})

    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(error.startswith(message) for error in errors), errors
    assert not DirectorySource.objects.exists()


def test_an_entra_source_keeps_its_secret_encrypted(client, admin_user):
    client.force_login(admin_user)
    data = {
        "name": "Entra",
        "kind": "entra",
        "tenant_id": "72f988bf-86f1-41af-91ab-2d7cd011db47",
        "client_id": "4a1aa1d5-c567-49d0-ad0b-cd957a47f842",
        "client_secret": "Zx8Q~secret",
    }

    assert client.post(reverse("directory:source-create"), data).status_code == 302

    settings = DirectorySource.objects.get(name="Entra").graph_settings()
    assert (settings.tenant_id, settings.client_secret) == (data["tenant_id"], "Zx8Q~secret")


def test_preview_lists_the_changes_then_apply_writes_them(client, admin_user, source, directory):
    SiteFactory(name="École de Melle")
    client.force_login(admin_user)

    response = client.post(reverse("directory:source-preview", args=[source.pk]))

    preview = DirectorySyncRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == preview.get_absolute_url()
    assert (preview.dry_run, preview.created, preview.by) == (True, 1, admin_user)
    assert not Person.objects.exists()
    page = client.get(preview.get_absolute_url())
    html = page.content.decode()
    assert "Aperçu de synchronisation" in html
    assert "Alice Martin" in html and "Comptable" in html and "Finances" in html
    assert ">Appliquer</button>" in html

    response = client.post(reverse("directory:source-apply", args=[source.pk]))

    applied = DirectorySyncRun.objects.exclude(pk=preview.pk).get()
    assert response["Location"] == applied.get_absolute_url()
    assert (applied.dry_run, applied.created) == (False, 1)
    alice = Person.objects.get(directory_id=GUID)
    assert (alice.site.name, alice.department.name) == ("École de Melle", "Finances")
    # A preview older than the latest run offers no "Apply" any more.
    assert ">Appliquer</button>" not in client.get(preview.get_absolute_url()).content.decode()


def test_the_source_page_lists_its_runs(client, admin_user, source, synced):
    client.force_login(admin_user)

    response = client.get(source.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Aperçu (simulation)" in html
    assert "défini (chiffré)" in html
    assert "s3cret-bind" not in html
    assert [run.pk for run in response.context["runs"]] == [source.runs.get().pk]


@pytest.mark.parametrize("persona", ["technician", "reader", "correspondent", "staff_user"])
def test_only_administrators_reach_the_sources(request, client, source, persona):
    client.force_login(request.getfixturevalue(persona))
    run = sync(source, dry_run=True, entries=ENTRIES)

    for url in (
        reverse("directory:source-list"),
        reverse("directory:source-create"),
        source.get_absolute_url(),
        run.get_absolute_url(),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("directory:source-apply", args=[source.pk])).status_code == 403
    assert DirectorySyncRun.objects.count() == 1


def test_a_synced_person_page_shows_the_directory_fields_locked(client, technician, synced):
    client.force_login(technician)

    html = client.get(synced.get_absolute_url()).content.decode()

    assert html.count('<span class="locked"') == 10
    assert "viennent de l'annuaire « AD Melle »" in html
    assert "Compte désactivé dans l'annuaire" not in html


def test_a_disabled_person_page_asks_to_recover_their_equipment(client, technician, source, synced):
    sync(source, dry_run=False, entries=[])  # no longer in the directory
    client.force_login(technician)

    html = client.get(synced.get_absolute_url()).content.decode()

    assert "Compte désactivé dans l'annuaire." in html
    assert "Récupérez le matériel et les lignes listés ci-dessous." in html


def test_the_person_form_refuses_a_directory_field(client, technician, synced):
    client.force_login(technician)
    url = reverse("directory:person-update", args=[synced.pk])
    assert client.get(url).context["form"].fields["last_name"].disabled

    response = client.post(url, {"last_name": "Dupont", "arrival_date": "2026-09-01"})

    assert response.status_code == 200
    assert response.context["form"].errors["last_name"] == [
        "Vient de l'annuaire « AD Melle » : modifiez-le là-bas."
    ]
    synced.refresh_from_db()
    assert (synced.last_name, synced.arrival_date) == ("Martin", None)


def test_the_person_form_saves_the_fields_regie_owns(client, technician, synced):
    client.force_login(technician)
    before = ChangeRecord.objects.count()

    # What the browser sends: the fields it may change, not the locked (disabled) ones.
    response = client.post(
        reverse("directory:person-update", args=[synced.pk]),
        {"arrival_date": "2026-09-01", "user": synced.user_id},
    )

    assert response.status_code == 302, response.context["form"].errors
    synced.refresh_from_db()
    assert (synced.last_name, str(synced.arrival_date)) == ("Martin", "2026-09-01")
    assert ChangeRecord.objects.count() == before + 1


def test_the_api_refuses_a_directory_field(technician, synced):
    api = bearer_client(technician)
    url = f"/api/v1/people/{synced.pk}/"

    refused = api.patch(url, {"job_title": "Directrice", "email": "x@mellois.fr"}, format="json")

    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "job_title": ["Vient de l'annuaire « AD Melle » : modifiez-le là-bas."],
        "email": ["Vient de l'annuaire « AD Melle » : modifiez-le là-bas."],
    }
    synced.refresh_from_db()
    assert synced.job_title == "Comptable"
    allowed = api.patch(url, {"arrival_date": "2026-09-01"}, format="json")
    assert allowed.status_code == 200
    # Sending a directory field unchanged (a full PUT of what was read) is fine.
    same = api.patch(url, {"job_title": "Comptable"}, format="json")
    assert same.status_code == 200


def test_hand_typed_people_stay_editable(client, technician, site):
    person = Person.objects.create(first_name="Denis", last_name="Moreau")
    client.force_login(technician)

    response = client.post(
        reverse("directory:person-update", args=[person.pk]),
        {"first_name": "Denis", "last_name": "Moreau-Roy"},
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.last_name == "Moreau-Roy"


def test_role_mapping_gives_administrators(source):
    source.role_mapping = [["GG-Regie-Admins", Role.ADMIN]]
    assert source.role_for({"gg-regie-admins", "GG-Tous"}) == Role.ADMIN
    assert source.role_for({"GG-Tous"}) == Role.STAFF


def test_the_source_list_runs_a_fixed_number_of_queries(
    client, admin_user, source, django_assert_max_num_queries
):
    for n in range(3):
        other = DirectorySource.objects.create(
            name=f"LDAP {n}", kind=SourceKind.LDAP, url="ldap://127.0.0.1", base_dn="dc=x"
        )
        sync(other, dry_run=True, entries=ENTRIES)
        sync(other, dry_run=True, entries=ENTRIES)
    client.force_login(admin_user)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("directory:source-list"))

    assert response.status_code == 200
    assert [row.cells[0].value for row in response.context["rows"]] == [
        "AD Melle",
        "LDAP 0",
        "LDAP 1",
        "LDAP 2",
    ]
    assert "Jamais" in response.content.decode()  # AD Melle never ran
