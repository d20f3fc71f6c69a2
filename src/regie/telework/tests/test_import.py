"""CSV import of MFA and Office 365: errors per row, and nothing half-imported."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from regie.core.models import ChangeRecord
from regie.directory.tests.factories import PersonFactory
from regie.telework.importing import import_remote_access
from regie.telework.models import RemoteAccess
from regie.telework.tests.factories import RemoteAccessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "anne": PersonFactory(email="anne.martin@cc-melle.fr"),
        "bruno": PersonFactory(email="Bruno.Leroy@cc-melle.fr"),
    }


def test_a_good_file_creates_and_updates_records(people, technician):
    RemoteAccessFactory(person=people["bruno"], mfa_enrolled=False, office365_licence=True)
    data = (
        "E-mail;MFA;Office 365;Date;Source\n"
        "anne.martin@cc-melle.fr;oui;oui;15/11/2026;Console Entra\n"
        "bruno.leroy@cc-melle.fr;Oui;non;;\n"
    ).encode("cp1252")
    result = import_remote_access(data=data, by=technician, default_source="Import de test.csv")
    assert (result.created, result.updated, result.errors) == (1, 1, [])
    anne = RemoteAccess.objects.get(person=people["anne"])
    assert (anne.mfa_enrolled, anne.office365_licence, anne.recorded_on, anne.source) == (
        True,
        True,
        dt.date(2026, 11, 15),
        "Console Entra",
    )
    bruno = RemoteAccess.objects.get(person=people["bruno"])
    assert (bruno.mfa_enrolled, bruno.office365_licence, bruno.source) == (
        True,
        False,
        "Import de test.csv",
    )
    assert ChangeRecord.objects.filter(field="mfa_enrolled", new_value="oui").count() == 1


def test_refused_rows_are_reported_each_and_nothing_is_written(people, technician):
    data = (
        "email,mfa,office365,date\n"
        "anne.martin@cc-melle.fr,oui,oui,\n"
        "inconnu@cc-melle.fr,oui,oui,\n"
        "bruno.leroy@cc-melle.fr,peut-être,oui,31/02/2026\n"
        "anne.martin@cc-melle.fr,non,non,\n"
    ).encode()
    result = import_remote_access(data=data, by=technician, default_source="x")
    assert [(error.line, error.message) for error in result.errors] == [
        (3, "personne n'a l'adresse e-mail inconnu@cc-melle.fr"),
        (4, "MFA doit valoir oui ou non, pas « peut-être »; date illisible « 31/02/2026 »"),
        (5, "anne.martin@cc-melle.fr figure déjà ligne 2"),
    ]
    assert (result.created, result.updated) == (0, 0)
    assert RemoteAccess.objects.count() == 0


def test_missing_columns_are_refused(people, technician):
    result = import_remote_access(
        data=b"email;mfa\nanne.martin@cc-melle.fr;oui\n", by=technician, default_source="x"
    )
    assert [(e.line, e.message) for e in result.errors] == [(1, "Colonnes manquantes : office365.")]
    assert RemoteAccess.objects.count() == 0


def test_the_import_page_shows_the_errors_and_imports_nothing(client, people, technician):
    client.force_login(technician)
    upload = SimpleUploadedFile(
        "mfa.csv", b"email;mfa;office365\nanne.martin@cc-melle.fr;oui;oui\nzz@x.fr;oui;oui\n"
    )
    response = client.post(reverse("telework:remoteaccess-import"), {"file": upload})
    assert response.status_code == 200
    assert response.templates[0].name == "telework/import.html"
    content = response.content.decode()
    assert "Rien n&#x27;a été importé" in content or "Rien n'a été importé" in content
    assert "Ligne 3" in content
    assert RemoteAccess.objects.count() == 0


def test_the_import_page_imports_a_good_file(client, people, technician):
    client.force_login(technician)
    upload = SimpleUploadedFile(
        "mfa.csv", b"email;mfa;office365\nanne.martin@cc-melle.fr;oui;non\n"
    )
    response = client.post(reverse("telework:remoteaccess-import"), {"file": upload})
    assert response.status_code == 302
    access = RemoteAccess.objects.get()
    assert (access.person, access.mfa_enrolled, access.office365_licence, access.source) == (
        people["anne"],
        True,
        False,
        "Import de mfa.csv",
    )


@pytest.mark.parametrize("role_user", ["reader", "correspondent", "staff_user"])
def test_only_managers_import(client, request, role_user):
    client.force_login(request.getfixturevalue(role_user))
    upload = SimpleUploadedFile("mfa.csv", b"email;mfa;office365\n")
    assert client.post(reverse("telework:remoteaccess-import"), {"file": upload}).status_code == 403
