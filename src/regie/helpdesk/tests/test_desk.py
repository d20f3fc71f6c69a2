"""The technician's side: a ticket opened on someone's behalf, and the daily round's section."""

import datetime as dt
import html

import pytest
import time_machine
from django.urls import reverse

from regie.helpdesk.choices import Priority, TicketSource
from regie.helpdesk.models import Ticket
from regie.helpdesk.services import assign_ticket

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


@pytest.mark.parametrize("role", ["technician", "admin_user"])
def test_an_unassigned_urgent_ticket_shows_on_home_and_today(
    client, request, role, requester, open_ticket
):
    user = request.getfixturevalue(role)
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        p2 = open_ticket(requester=requester, title="Messagerie en panne", urgency=2, impact=2)
        p1 = open_ticket(requester=requester, title="Serveur arrêté", urgency=1, impact=1)
        p3 = open_ticket(requester=requester, title="Souris qui accroche")  # not urgent
        taken = open_ticket(requester=requester, title="Pare-feu", urgency=2, impact=2)
        assign_ticket(ticket=taken, assignee=user, by=user)
        client.force_login(user)
        home = client.get(reverse("home")).content.decode()
        today = client.get(reverse("daily:today")).content.decode()
    assert (p1.priority, p2.priority) == (Priority.P1, Priority.P2)
    for page in (home, today):
        assert f'href="{p2.get_absolute_url()}"' in page
        assert f'href="{p1.get_absolute_url()}"' in page
        assert f'href="{p3.get_absolute_url()}"' not in page
        assert f'href="{taken.get_absolute_url()}"' not in page
    assert "2 tickets urgents non attribués" in html.unescape(home)
    assert f'href="{reverse("helpdesk:ticket-list")}?view=unassigned&amp;ordering=priority"' in home
    assert "P2 — haute, non attribué (École de Melle)" in html.unescape(today)


def test_staff_home_does_not_list_urgent_tickets(client, staff_user, requester, open_ticket):
    open_ticket(requester=requester, title="Messagerie en panne", urgency=2, impact=2)
    client.force_login(staff_user)
    assert "urgents non attribués" not in html.unescape(
        client.get(reverse("home")).content.decode()
    )
