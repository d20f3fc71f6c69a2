"""The staff portal: report a problem about my own equipment, see my own requests only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from regie.core.models import Role
from regie.core.tests.factories import UserFactory
from regie.directory.tests.factories import PersonFactory
from regie.helpdesk.choices import TicketSource
from regie.helpdesk.models import Attachment, Category, Ticket
from regie.helpdesk.tests.test_access_and_files import EXE

pytestmark = pytest.mark.django_db


def new_ticket(client, **fields):
    data = {"title": "Écran noir", "description": "Plus rien depuis ce matin.", "urgency": 3}
    return client.post(reverse("helpdesk:portal-new"), {**data, **fields})


def test_the_form_offers_my_equipment_only(client, staff_user, owned_asset, colleague_asset):
    client.force_login(staff_user)
    page = client.get(reverse("helpdesk:portal-new")).content.decode()
    assert owned_asset.name in page
    assert colleague_asset.name not in page


def test_reporting_a_problem_creates_my_ticket_with_its_file(client, staff_user, owned_asset):
    client.force_login(staff_user)
    note = SimpleUploadedFile("message.txt", b"Erreur 0x80070005", "text/plain")

    response = new_ticket(client, assets=[owned_asset.pk], file=note)

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == ticket.get_absolute_url()
    assert (ticket.requester, ticket.source, ticket.title) == (
        staff_user.person,
        TicketSource.PORTAL,
        "Écran noir",
    )
    assert list(ticket.assets.all()) == [owned_asset]
    assert Attachment.objects.get(ticket=ticket).original_name == "message.txt"


@pytest.mark.parametrize("bad", ["colleague_asset", "exe"])
def test_a_refused_request_writes_nothing(client, staff_user, colleague_asset, bad):
    client.force_login(staff_user)
    if bad == "exe":
        response = new_ticket(client, file=SimpleUploadedFile("facture.pdf", EXE))
    else:
        response = new_ticket(client, assets=[colleague_asset.pk])

    assert response.status_code == 200
    assert response.context["form"].errors
    assert Ticket.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_my_requests_list_mine_only(client, staff_user, colleague, open_ticket):
    mine = open_ticket(requester=staff_user.person, title="Mon imprimante")
    open_ticket(requester=colleague.person, title="Sa messagerie")
    client.force_login(staff_user)

    page = client.get(reverse("helpdesk:portal")).content.decode()

    assert mine.title in page
    assert "Sa messagerie" not in page


def test_an_account_without_a_person_cannot_report(client):
    client.force_login(UserFactory(username="sans-fiche", role=Role.STAFF))
    assert client.get(reverse("helpdesk:portal-new")).status_code == 403


def test_a_reader_is_not_offered_the_form_and_cannot_post_it(client, reader, site):
    # A reader changes nothing, even with a person record of their own.
    PersonFactory(user=reader, site=site, first_name="Denise", last_name="Lecomte")
    client.force_login(reader)

    portal = client.get(reverse("helpdesk:portal"))
    form_page = client.get(reverse("helpdesk:portal-new"))
    posted = new_ticket(client)

    assert portal.status_code == 200
    assert reverse("helpdesk:portal-new") not in portal.content.decode()
    assert form_page.status_code == 403
    assert 'name="title"' not in form_page.content.decode()
    assert posted.status_code == 403
    assert Ticket.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_categories_are_grouped_under_their_parent_in_french_order(client, staff_user):
    import re

    from regie.helpdesk.tests.factories import CategoryFactory

    Category.objects.update(active=False)  # the seeded catalogue
    printer = CategoryFactory(name="Imprimante")
    network = CategoryFactory(name="Réseau")
    CategoryFactory(name="Wi-Fi", parent=network)
    CategoryFactory(name="Bourrage papier", parent=printer)
    toner = CategoryFactory(name="Toner", parent=printer)
    CategoryFactory(name="Câble débranché", parent=network)
    CategoryFactory(name="Écran")
    CategoryFactory(name="Ancienne", parent=printer, active=False)
    client.force_login(staff_user)
    page = client.get(reverse("helpdesk:portal-new")).content.decode()
    select = page[
        page.index('name="category"') : page.index("</select>", page.index('name="category"'))
    ]
    shown = re.findall(
        r'<optgroup label="([^"]+)">|<option value="\d+"[^>]*>([^<]+)</option>', select
    )
    assert [group or f"  {option}" for group, option in shown] == [
        "  Écran",
        "Imprimante",
        "  Imprimante (général)",
        "  Bourrage papier",
        "  Toner",
        "Réseau",
        "  Réseau (général)",
        "  Câble débranché",
        "  Wi-Fi",
    ]
    response = new_ticket(client, category=toner.pk)
    assert response.status_code == 302
    assert Ticket.objects.get().category == toner
