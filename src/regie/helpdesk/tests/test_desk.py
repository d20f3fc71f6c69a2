"""The technician's side: a ticket opened on someone's behalf, and the daily round's section."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from regie.helpdesk.choices import TicketSource
from regie.helpdesk.models import Ticket

pytestmark = pytest.mark.django_db


def test_a_phone_call_becomes_a_ticket_for_the_caller(client, technician, requester, site):
    client.force_login(technician)
    response = client.post(
        reverse("helpdesk:ticket-create"),
        {
            "requester": requester.pk,
            "source": TicketSource.PHONE,
            "title": "Téléphone muet à l'accueil",
            "description": "Appel de l'accueil : plus de tonalité.",
            "urgency": 2,
            "impact": 2,
            "needs_visit": "on",
        },
    )

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert (ticket.requester, ticket.source, ticket.needs_visit) == (
        requester,
        TicketSource.PHONE,
        True,
    )
    assert ticket.site == site  # the requester's site when none is given


def test_staff_and_readers_cannot_open_tickets_for_others(client, staff_user, reader, requester):
    for user in (staff_user, reader):
        client.force_login(user)
        assert client.get(reverse("helpdesk:ticket-create")).status_code == 403
    assert Ticket.objects.count() == 0


def test_an_unassigned_ticket_needing_a_visit_is_in_the_round(
    client, technician, requester, open_ticket
):
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        open_ticket(requester=requester, title="Borne Wi-Fi HS", needs_visit=True)
        open_ticket(requester=requester, title="Question sur Outlook")  # remote, on time
        client.force_login(technician)
        page = client.get(reverse("daily:today")).content.decode()
    assert "Borne Wi-Fi HS" in page
    assert "Question sur Outlook" not in page
