"""The status workflow, assignment, the priority matrix and the auto-close job."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from regie.helpdesk.choices import TicketStatus, WaitingFor
from regie.helpdesk.models import Ticket
from regie.helpdesk.priority import PRIORITY_MATRIX, priority_for
from regie.helpdesk.services import (
    TicketConflict,
    assign_ticket,
    change_ticket_status,
    close_resolved_tickets,
    record_satisfaction,
)
from regie.helpdesk.tasks import close_old_resolved_tickets

S = TicketStatus
pytestmark = pytest.mark.django_db


def test_priority_matrix_table():
    assert PRIORITY_MATRIX == (
        (1, 1, 2, 3, 4),
        (1, 2, 2, 3, 4),
        (2, 2, 3, 4, 4),
        (3, 3, 4, 4, 5),
        (4, 4, 4, 5, 5),
    )
    assert priority_for(urgency=1, impact=1) == 1
    assert priority_for(urgency=3, impact=3) == 3
    assert priority_for(urgency=5, impact=5) == 5
    assert priority_for(urgency=2, impact=4) == 3
    with pytest.raises(ValueError, match="1 to 5"):
        priority_for(urgency=0, impact=3)


def test_assigning_a_new_ticket_moves_it_to_assigned(open_ticket, requester, technician):
    ticket = open_ticket(requester)
    assign_ticket(ticket=ticket, assignee=technician, by=technician)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee) == (S.ASSIGNED, technician)
    assert [(e.kind, e.new_value) for e in ticket.events.all()] == [
        ("created", "Portail"),
        ("assigned", str(technician)),
        ("status", "Assigné"),
    ]


def test_only_technicians_can_be_assignees(open_ticket, requester, technician, reader):
    ticket = open_ticket(requester)
    with pytest.raises(ValidationError) as error:
        assign_ticket(ticket=ticket, assignee=reader, by=technician)
    assert error.value.message_dict == {
        "assignee": ["Les tickets ne peuvent être attribués qu’à des techniciens."]
    }
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee) == (S.NEW, None)


def test_full_life_of_a_ticket(open_ticket, requester, technician, staff_user):
    ticket = open_ticket(requester)
    assign_ticket(ticket=ticket, assignee=technician, by=technician)
    for status in (S.IN_PROGRESS, S.RESOLVED):
        change_ticket_status(ticket=ticket, status=status, by=technician)
    change_ticket_status(ticket=ticket, status=S.REOPENED, by=staff_user)
    change_ticket_status(ticket=ticket, status=S.RESOLVED, by=technician)
    record_satisfaction(ticket=ticket, rating=4, comment=" Rapide ", by=staff_user)
    ticket.refresh_from_db()
    assert ticket.status == S.CLOSED
    assert (ticket.satisfaction, ticket.satisfaction_comment) == (4, "Rapide")
    assert ticket.closed_at is not None and ticket.first_response_at is not None
    statuses = [e.new_value for e in ticket.events.filter(kind="status")]
    assert statuses == ["Assigné", "En cours", "Résolu", "Rouvert", "Résolu", "Clos"]


@pytest.mark.parametrize(
    ("start", "target"),
    [(S.NEW, S.CLOSED), (S.NEW, S.REOPENED), (S.CLOSED, S.REOPENED), (S.IN_PROGRESS, S.NEW)],
)
def test_forbidden_transitions_are_refused_and_change_nothing(
    open_ticket, requester, technician, start, target
):
    ticket = open_ticket(requester)
    Ticket.objects.filter(pk=ticket.pk).update(status=start)
    before = ticket.events.count()
    with pytest.raises(TicketConflict) as error:
        change_ticket_status(ticket=ticket, status=target, by=technician)
    assert error.value.message == (
        f"Un ticket ne peut pas passer de « {S(start).label} » à « {S(target).label} »."
    )
    ticket.refresh_from_db()
    assert ticket.status == start
    assert ticket.events.count() == before


def test_waiting_needs_to_know_for_whom(open_ticket, requester, technician):
    ticket = open_ticket(requester)
    with pytest.raises(ValidationError):
        change_ticket_status(ticket=ticket, status=S.WAITING, by=technician)
    change_ticket_status(
        ticket=ticket, status=S.WAITING, waiting_for=WaitingFor.THIRD_PARTY, by=technician
    )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.waiting_for) == (S.WAITING, "third_party")


def test_the_requester_may_reopen_but_not_work_the_ticket(
    open_ticket, requester, technician, staff_user, colleague
):
    ticket = open_ticket(requester)
    with pytest.raises(PermissionDenied):
        change_ticket_status(ticket=ticket, status=S.IN_PROGRESS, by=staff_user)
    change_ticket_status(ticket=ticket, status=S.RESOLVED, by=technician)
    with pytest.raises(PermissionDenied):
        change_ticket_status(ticket=ticket, status=S.REOPENED, by=colleague)
    ticket.refresh_from_db()
    assert ticket.status == S.RESOLVED
    change_ticket_status(ticket=ticket, status=S.REOPENED, by=staff_user)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.resolved_at) == (S.REOPENED, None)


def test_readers_cannot_change_a_status(open_ticket, requester, reader):
    ticket = open_ticket(requester)
    with pytest.raises(PermissionDenied):
        change_ticket_status(ticket=ticket, status=S.IN_PROGRESS, by=reader)
    assert Ticket.objects.get(pk=ticket.pk).status == S.NEW


def test_auto_close_job_closes_tickets_resolved_long_enough_ago(
    open_ticket, requester, technician, settings
):
    settings.HELPDESK_AUTO_CLOSE_DAYS = 7
    old, recent, reopened = (open_ticket(requester, title=t) for t in ("old", "recent", "reop"))
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=8), tick=False):
        change_ticket_status(ticket=old, status=S.RESOLVED, by=technician)
        change_ticket_status(ticket=reopened, status=S.RESOLVED, by=technician)
        change_ticket_status(ticket=reopened, status=S.REOPENED, by=technician)
    with time_machine.travel(now - timedelta(days=6), tick=False):
        change_ticket_status(ticket=recent, status=S.RESOLVED, by=technician)
    assert close_old_resolved_tickets.call() == 1
    statuses = dict(Ticket.objects.values_list("title", "status"))
    assert statuses == {"old": S.CLOSED, "recent": S.RESOLVED, "reop": S.REOPENED}
    closing = Ticket.objects.get(title="old").events.last()
    assert (closing.new_value, closing.actor) == ("Clos", None)
    assert close_resolved_tickets() == []  # idempotent


def test_the_auto_close_job_is_registered_daily():
    from regie.core.schedule import periodic_jobs

    job = next(job for job in periodic_jobs() if job.name == "helpdesk.close_resolved")
    assert job.daily_at is not None
    assert job.task.name == "close_old_resolved_tickets"
