"""The IT team's home page says how many round items are still open."""

import pytest

from regie.operations.daily.services import acknowledge_item
from regie.operations.daily.tests.pages import parse

pytestmark = pytest.mark.django_db


def summary(response):
    links = parse(response).xpath("//p[contains(@class, 'round-summary')]/a")
    return [(link.text_content().strip(), link.get("href")) for link in links]


@pytest.mark.parametrize("persona", ["admin_user", "technician"])
def test_home_counts_the_open_items(request, client, two_sources, persona):
    user = request.getfixturevalue(persona)
    acknowledge_item(user=user, item_key="check:1")
    client.force_login(user)
    assert summary(client.get("/")) == [("4 éléments à voir aujourd'hui", "/today/")]


def test_home_says_when_there_is_nothing(client, technician, sources):
    client.force_login(technician)
    assert summary(client.get("/")) == [("Rien à voir aujourd'hui", "/today/")]


@pytest.mark.parametrize("persona", ["reader", "correspondent", "staff_user"])
def test_others_get_no_summary(request, client, two_sources, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/")
    assert response.status_code == 200
    assert summary(response) == []
