"""Names sort in French order on both databases, in lists, the API and the default order."""

import pytest
from django.urls import reverse

from regie.core.collation import french_key
from regie.core.testing import bearer_client
from regie.directory.models import Person, Site
from regie.directory.tests.factories import PersonFactory, SiteFactory

pytestmark = pytest.mark.django_db

FRENCH_ORDER = ["Déchèterie de Melle", "école de Lezay", "École de Melle", "Eglise", "Piscine"]


@pytest.fixture
def sites():
    for name in ["Piscine", "École de Melle", "Eglise", "Déchèterie de Melle", "école de Lezay"]:
        SiteFactory(name=name)


def test_french_key_ignores_accents_and_case_first():
    assert sorted(["Piscine", "Élodie", "eric", "Eric", "Zoé"], key=french_key) == [
        "Élodie",
        "Eric",
        "eric",
        "Piscine",
        "Zoé",
    ]


def test_default_order_of_sites_is_french(sites):
    assert list(Site.objects.values_list("name", flat=True)) == FRENCH_ORDER


def test_site_list_sorts_by_name_both_ways_in_french(client, technician, sites):
    client.force_login(technician)
    url = reverse("directory:site-list")
    rows = client.get(url, {"ordering": "name"}).context["rows"]
    assert [row.obj.name for row in rows] == FRENCH_ORDER
    rows = client.get(url, {"ordering": "-name"}).context["rows"]
    assert [row.obj.name for row in rows] == FRENCH_ORDER[::-1]


def test_api_people_ordering_is_french(technician):
    for last_name in ["Zola", "Élie", "Durand", "Etienne"]:
        PersonFactory(last_name=last_name, first_name="A")
    response = bearer_client(technician).get("/api/v1/people/", {"ordering": "last_name"})
    assert [person["last_name"] for person in response.json()["results"]] == [
        "Durand",
        "Élie",
        "Etienne",
        "Zola",
    ]
    assert list(Person.objects.values_list("last_name", flat=True)) == [
        "Durand",
        "Élie",
        "Etienne",
        "Zola",
    ]
