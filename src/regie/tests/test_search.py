"""Every list search ignores accents and case, on SQLite and PostgreSQL alike."""

import pytest
from django.db.models import Value
from django.urls import reverse

from regie.core.search import Fold, fold
from regie.directory.models import Organisation, Person, Site
from regie.directory.tests.factories import OrganisationFactory, PersonFactory, SiteFactory
from regie.field.models import Intervention
from regie.field.tests.factories import InterventionFactory
from regie.helpdesk.models import Ticket
from regie.helpdesk.services import create_ticket
from regie.telephony.models import Line
from regie.telephony.tests.factories import LineFactory

pytestmark = pytest.mark.django_db


def test_fold_in_python_and_in_the_database_agree():
    text = "Sauzé-Vaussais ÉCOLE Hélène Çà Øre Ñ l'Île"
    assert fold(text) == "sauze-vaussais ecole helene ca ore n l'ile"
    PersonFactory(first_name=text)
    folded = Person.objects.annotate(folded=Fold("first_name")).get().folded
    assert folded == fold(text)
    assert Person.objects.annotate(v=Fold(Value("ÀÉÎÕÜ"))).values_list("v", flat=True)[0] == (
        "aeiou"
    )


def test_like_wildcards_typed_are_plain_characters():
    PersonFactory(last_name="Dupont")
    assert not Person.objects.filter(last_name__fcontains="%").exists()
    assert not Person.objects.filter(last_name__fcontains="D_pont").exists()


@pytest.fixture
def places():
    sauze = SiteFactory(name="Mairie de Sauzé", organisation=OrganisationFactory(name="Sauzé"))
    melle = SiteFactory(name="École Jules-Ferry", city="MELLE")
    return sauze, melle


def test_people_and_sites_searches_fold_accents(places):
    PersonFactory(first_name="Séverine", last_name="Jaulin")
    PersonFactory(first_name="Hélène", last_name="Morin")
    PersonFactory(first_name="Eric", last_name="Lévêque")
    assert list(Person.objects.search("severine").values_list("last_name", flat=True)) == ["Jaulin"]
    assert list(Person.objects.search("HELENE morin").values_list("last_name", flat=True)) == [
        "Morin"
    ]
    assert list(Person.objects.search("leveque").values_list("last_name", flat=True)) == ["Lévêque"]
    assert list(Site.objects.search("sauze").values_list("name", flat=True)) == ["Mairie de Sauzé"]
    assert list(Site.objects.search("ecole melle").values_list("name", flat=True)) == [
        "École Jules-Ferry"
    ]
    assert list(
        Organisation.objects.filter(name__fcontains="SAUZE").values_list("name", flat=True)
    ) == ["Sauzé"]


def test_ticket_line_and_intervention_searches_fold_accents(places, technician):
    sauze, melle = places
    helene = PersonFactory(first_name="Hélène", last_name="Morin", site=sauze)
    create_ticket(requester=helene, title="Écran noir", description="…", by=technician)
    create_ticket(
        requester=PersonFactory(site=melle), title="Souris", description="…", by=technician
    )
    assert list(Ticket.objects.search("ecran").values_list("title", flat=True)) == ["Écran noir"]
    assert list(Ticket.objects.search("helene").values_list("title", flat=True)) == ["Écran noir"]
    assert list(Ticket.objects.search("sauze").values_list("title", flat=True)) == ["Écran noir"]

    LineFactory(label="Ascenseur médiathèque", site=melle)
    LineFactory(label="Standard", person=helene)
    assert list(Line.objects.search("mediatheque").values_list("label", flat=True)) == [
        "Ascenseur médiathèque"
    ]
    assert list(Line.objects.search("Helene").values_list("label", flat=True)) == ["Standard"]

    InterventionFactory(title="Câblage salle réunion", site=sauze)
    assert list(Intervention.objects.search("cablage reunion").values_list("title", flat=True)) == [
        "Câblage salle réunion"
    ]


def test_people_list_and_api_search_fold_accents(client, technician):
    from regie.core.testing import bearer_client

    PersonFactory(first_name="Séverine", last_name="Jaulin")
    PersonFactory(first_name="Paul", last_name="Martin")
    client.force_login(technician)
    rows = client.get(reverse("directory:person-list"), {"q": "Severine"}).context["rows"]
    assert [row.obj.last_name for row in rows] == ["Jaulin"]
    response = bearer_client(technician).get("/api/v1/people/", {"q": "SEVERINE"})
    assert [person["last_name"] for person in response.json()["results"]] == ["Jaulin"]
