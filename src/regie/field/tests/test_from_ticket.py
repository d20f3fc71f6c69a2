"""Planning an intervention from a ticket: the button on the ticket, the pre-filled form."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from regie.assets.models import Asset
from regie.assets.tests.factories import AssetFactory
from regie.field.models import Intervention, InterventionKind, InterventionStatus, Priority
from regie.helpdesk.models import Ticket
from regie.helpdesk.services import create_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(technician, staff_user, site):
    printer = Asset.objects.get(pk=AssetFactory(site=site, name="IMP-ACCUEIL").pk)
    return create_ticket(
        requester=staff_user.person,
        title="L'imprimante de l'accueil bourre",
        description="Bourrage papier à chaque impression recto-verso.",
        by=technician,
        site=site,
        assets=[printer],
        urgency=2,
        impact=2,
    )


def value_of(html, name):
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)
    return match.group(1) if match else None


def test_the_ticket_page_offers_to_plan_a_visit_to_the_it_team_only(
    client, technician, staff_user, ticket
):
    client.force_login(technician)
    page = client.get(ticket.get_absolute_url()).content.decode()
    url = reverse("field:intervention-create") + f"?ticket={ticket.pk}"
    assert f'<a class="button" href="{url}">Planifier une intervention</a>' in page

    client.force_login(staff_user)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert "Planifier une intervention" not in page
    assert reverse("field:intervention-create") not in page


def test_the_form_starts_from_the_ticket_and_keeps_it_as_origin(client, technician, ticket, site):
    client.force_login(technician)
    url = reverse("field:intervention-create") + f"?ticket={ticket.pk}"
    html = client.get(url).content.decode()
    assert value_of(html, "title") == "L&#x27;imprimante de l&#x27;accueil bourre"
    assert value_of(html, "reference") == f"#{ticket.pk}"
    assert value_of(html, "ticket") == str(ticket.pk)
    assert "Bourrage papier à chaque impression recto-verso.</textarea>" in html
    assert re.search(rf'<option value="{site.pk}" selected>', html)
    printer = ticket.assets.get()
    assert f'<option value="{printer.pk}" selected>' in html
    # Urgency 2 × impact 2: a P2 ticket, a high-priority visit.
    assert ticket.priority == 2
    assert f'<option value="{Priority.HIGH}" selected>' in html

    form = {
        "kind": InterventionKind.TICKET,
        "title": "L'imprimante de l'accueil bourre",
        "description": "Bourrage papier à chaque impression recto-verso.",
        "site": site.pk,
        "assets": [printer.pk],
        "duration_minutes": 30,
        "priority": Priority.HIGH,
        "status": InterventionStatus.TO_PLAN,
        "reference": f"#{ticket.pk}",
        "ticket": ticket.pk,
    }
    response = client.post(url, form)
    intervention = Intervention.objects.get()
    assert response.status_code == 302
    assert (intervention.origin_type, intervention.origin_id) == (
        ContentType.objects.get_for_model(Ticket),
        ticket.pk,
    )
    assert list(intervention.assets.all()) == [printer]
    # The ticket's page now lists its visit.
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert f'<a href="{intervention.get_absolute_url()}">' in page


def test_an_unknown_ticket_prefills_nothing_and_is_refused(client, technician, site):
    client.force_login(technician)
    url = reverse("field:intervention-create") + "?ticket=999999"
    html = client.get(url).content.decode()
    assert value_of(html, "title") is None
    assert value_of(html, "ticket") is None
    response = client.post(
        url,
        {
            "kind": InterventionKind.OTHER,
            "title": "Visite",
            "site": site.pk,
            "duration_minutes": 30,
            "priority": Priority.NORMAL,
            "status": InterventionStatus.TO_PLAN,
            "ticket": 999999,
        },
    )
    assert response.status_code == 200
    assert "ticket" in response.context["form"].errors
    assert Intervention.objects.count() == 0


def test_an_intervention_from_a_ticket_can_be_edited(client, technician, ticket, site):
    intervention = Intervention.objects.create(title="Visite", site=site, origin=ticket)
    client.force_login(technician)
    url = reverse("field:intervention-update", args=[intervention.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert value_of(response.content.decode(), "title") == "Visite"
