"""The API of the continuity mode, and the offline kit."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from regie.continuity.models import Activation
from regie.core.models import OutgoingMail, Role
from regie.core.testing import bearer_client as api_client
from regie.core.tests.factories import UserFactory
from regie.telephony.models import Forwarding
from regie.telework.models import Reservation

pytestmark = pytest.mark.django_db


def ends_on(days=7):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def state():
    return (
        Activation.objects.count(),
        Reservation.objects.count(),
        OutgoingMail.objects.count(),
        sorted(Forwarding.objects.values_list("pk", "active", "target")),
    )


def test_the_api_gives_the_four_sections_with_their_rows(world):
    response = api_client(world.technician).get("/api/v1/continuity/")
    assert response.status_code == 200
    data = response.json()
    assert [section["key"] for section in data["sections"]] == [
        "telework",
        "telephony",
        "essential",
        "field",
    ]
    assert data["activation"] is None
    telephony = next(s for s in data["sections"] if s["key"] == "telephony")
    to_forward = next(t for t in telephony["tables"] if t["key"] == "to_forward")
    assert to_forward["total"] == 3
    assert len(to_forward["rows"]) == 3
    # Fanny's laptop reports; the desktop and the pool laptop never did.
    assert data["coverage"] == {"computers": 3, "reporting": 1, "recent": 1}


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.READER, 200), (Role.CORRESPONDENT, 403), (Role.STAFF, 403)],
)
def test_the_api_follows_the_page_access(world, role, status):
    user = UserFactory(username=f"api-{role}", role=role)
    assert api_client(user).get("/api/v1/continuity/").status_code == status


def test_declare_and_end_through_the_api(world):
    client = api_client(world.admin)
    response = client.post("/api/v1/continuity/activate/", {"ends_on": ends_on()}, format="json")
    assert response.status_code == 201
    assert response.json()["results"]["telephony"]["forwardings_set"] == 3
    assert response.json()["messages_queued"] == 6
    before = state()
    again = client.post("/api/v1/continuity/activate/", {"ends_on": ends_on()}, format="json")
    assert again.status_code == 409
    assert state() == before
    ended = client.post("/api/v1/continuity/end/")
    assert ended.status_code == 200
    assert ended.json()["active"] is False
    assert ended.json()["results"]["ended"]["telephony"]["forwardings_ended"] == 3
    before = state()
    assert client.post("/api/v1/continuity/end/").status_code == 409
    assert state() == before


@pytest.mark.parametrize("body", [{}, {"ends_on": "demain"}, {"ends_on": "2001-01-01"}])
def test_bad_input_is_a_400_and_changes_nothing(world, body):
    before = state()
    response = api_client(world.admin).post("/api/v1/continuity/activate/", body, format="json")
    assert response.status_code == 400
    assert state() == before


@pytest.mark.parametrize("role", [Role.TECHNICIAN, Role.READER])
def test_only_administrators_declare_through_the_api(world, role):
    client = api_client(UserFactory(username=f"api-{role}", role=role))
    before = state()
    assert (
        client.post(
            "/api/v1/continuity/activate/", {"ends_on": ends_on()}, format="json"
        ).status_code
        == 403
    )
    assert client.post("/api/v1/continuity/end/").status_code == 403
    assert state() == before


def test_the_kit_is_one_offline_file_with_the_contacts_and_the_forwardings(client, world):
    client.force_login(world.technician)
    response = client.get(reverse("continuity:kit"), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="regie-continuite-{day}.html"'
    html = response.content.decode()
    assert "<script" not in html
    assert not re.search(r"<link[^>]+href=", html)
    assert not re.search(r"""(src|href)=["'](/|https?:)""", html)  # nothing from the server
    assert "<style>" in html
    for text in (
        "Kit de continuité",
        "Thomas Technicien",  # the IT team, with the mobile
        "06 55 44 33 22",
        "Claire Martin",  # a head of department
        "Responsable Accueil",
        "Liste des renvois",
        "05 49 27 00 01",  # an office line…
        "06 12 34 56 78",  # … and where it goes
        "Clé à l&#x27;accueil, alarme 1234",  # the town hall's access notes
        "Gardien Paul",
        "Télétravail",
        "Tâches essentielles",
    ):
        assert text in html, text


@pytest.mark.parametrize(("role", "status"), [(Role.READER, 403), (Role.STAFF, 403)])
def test_the_kit_is_for_the_it_team(client, world, role, status):
    client.force_login(UserFactory(username=f"kit-{role}", role=role))
    assert client.get(reverse("continuity:kit")).status_code == status
