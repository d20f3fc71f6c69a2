"""MFA and Office 365 readiness read Entra ID (synced by the directory) before the CSV record."""

import datetime as dt
import html

import pytest
import time_machine
from django.urls import reverse

from regie.core.readiness import Colour, readiness_for
from regie.directory.sync.cloud import save_cloud_accounts
from regie.directory.sync.entries import DirectoryEntry
from regie.directory.tests.factories import PersonFactory
from regie.telework.tests.factories import RemoteAccessFactory

pytestmark = pytest.mark.django_db
SYNCED = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)
DAY = dt.datetime(2026, 12, 1, 7, 0, tzinfo=dt.UTC)


def synced(person, *, mfa, licences):
    entry = DirectoryEntry(
        directory_id=f"entra-{person.pk}", username="x", mfa_registered=mfa, licences=licences
    )
    with time_machine.travel(SYNCED, tick=False):
        save_cloud_accounts(accounts=[(person, entry)])


def verdicts(person):
    readiness = readiness_for(person, now=DAY)
    return {
        c.key: (c.colour, c.reason) for c in readiness.criteria if c.key in {"mfa", "office365"}
    }


def test_entra_wins_over_the_csv_record():
    person = PersonFactory()
    RemoteAccessFactory(person=person, mfa_enrolled=False, office365_licence=False)
    synced(person, mfa=True, licences=("SPE_E3", "ENTERPRISEPACK"))
    assert verdicts(person) == {
        "mfa": (
            Colour.GREEN,
            "Oui, une méthode est enregistrée dans Entra ID (depuis le 30/11/2026).",
        ),
        "office365": (
            Colour.GREEN,
            "ENTERPRISEPACK, SPE_E3, dans Entra ID (depuis le 30/11/2026).",
        ),
    }


def test_entra_saying_no_is_red_even_when_the_csv_said_yes():
    person = PersonFactory()
    RemoteAccessFactory(person=person, mfa_enrolled=True, office365_licence=True)
    synced(person, mfa=False, licences=())
    assert verdicts(person) == {
        "mfa": (Colour.RED, "Aucune méthode enregistrée dans Entra ID (depuis le 30/11/2026)."),
        "office365": (Colour.RED, "Aucune licence attribuée dans Entra ID (depuis le 30/11/2026)."),
    }


def test_what_entra_cannot_tell_falls_back_to_the_csv_record():
    person = PersonFactory()
    RemoteAccessFactory(person=person, mfa_enrolled=True, office365_licence=False)
    synced(person, mfa=None, licences=("STANDARDPACK",))  # no permission on the MFA report
    assert verdicts(person) == {
        "mfa": (Colour.GREEN, "Oui, relevé le 02/11/2026 (Console Microsoft 365)."),
        "office365": (Colour.GREEN, "STANDARDPACK, dans Entra ID (depuis le 30/11/2026)."),
    }
    nobody = PersonFactory()
    synced(nobody, mfa=None, licences=())
    assert verdicts(nobody)["mfa"] == (Colour.UNKNOWN, "Pas encore renseigné.")


def test_the_readiness_page_shows_mfa_from_entra(client, technician):
    person = PersonFactory(first_name="Inès", last_name="Roux")
    synced(person, mfa=True, licences=("ENTERPRISEPACK",))
    client.force_login(technician)
    response = client.get(reverse("telework:readiness-person", args=[person.pk]))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Oui, une méthode est enregistrée dans Entra ID (depuis le 30/11/2026)." in page
    assert "ENTERPRISEPACK, dans Entra ID (depuis le 30/11/2026)." in page
