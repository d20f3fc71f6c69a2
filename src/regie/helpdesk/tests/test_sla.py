"""SLA deadlines on working hours: weekends, public holidays, lunch break, pauses."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from regie.helpdesk.calendar import french_public_holidays, working_calendar
from regie.helpdesk.choices import Level, SlaState, TicketStatus, WaitingFor
from regie.helpdesk.models import Ticket
from regie.helpdesk.services import change_ticket_status

PARIS = ZoneInfo("Europe/Paris")


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def test_french_public_holidays_are_computed_for_any_year():
    assert sorted(french_public_holidays(2026)) == [
        date(2026, 1, 1),
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 1),
        date(2026, 5, 8),
        date(2026, 5, 14),  # Ascension
        date(2026, 5, 25),  # Whit Monday
        date(2026, 7, 14),
        date(2026, 8, 15),
        date(2026, 11, 1),
        date(2026, 11, 11),
        date(2026, 12, 25),
    ]
    assert {date(2025, 4, 21), date(2025, 5, 29), date(2025, 6, 9)} <= french_public_holidays(2025)
    assert {date(2038, 4, 26), date(2038, 6, 3), date(2038, 6, 14)} <= french_public_holidays(2038)


def test_friday_afternoon_before_easter_monday_carries_over_to_tuesday():
    calendar = working_calendar()
    opened = paris(2026, 4, 3, 16, 0)  # Friday; Monday 6 April is Easter Monday
    assert calendar.add(opened, timedelta(hours=1)) == paris(2026, 4, 3, 17, 0)
    assert calendar.add(opened, timedelta(hours=4)) == paris(2026, 4, 7, 11, 0)
    assert calendar.between(opened, paris(2026, 4, 7, 9, 0)) == timedelta(hours=2)


def test_lunch_break_is_not_working_time():
    calendar = working_calendar()
    assert calendar.add(paris(2026, 3, 2, 11, 30), timedelta(hours=1)) == paris(2026, 3, 2, 14, 0)
    assert calendar.between(paris(2026, 3, 2, 11, 0), paris(2026, 3, 2, 14, 0)) == timedelta(
        hours=1, minutes=30
    )


def test_clock_starts_at_the_next_working_period():
    calendar = working_calendar()
    # Saturday → Monday 08:30; 07:00 → 08:30 the same day; 18:00 → next morning.
    assert calendar.add(paris(2026, 3, 7, 10, 0), timedelta(hours=1)) == paris(2026, 3, 9, 9, 30)
    assert calendar.add(paris(2026, 3, 10, 7, 0), timedelta(hours=1)) == paris(2026, 3, 10, 9, 30)
    assert calendar.add(paris(2026, 3, 10, 18, 0), timedelta(minutes=30)) == paris(
        2026, 3, 11, 9, 0
    )


def test_a_working_day_is_seven_and_a_half_hours_across_the_summer_time_change():
    calendar = working_calendar()
    # Summer time starts on Sunday 29 March 2026: Monday's 17:30 is 15:30 UTC.
    due = calendar.add(paris(2026, 3, 27, 17, 0), timedelta(hours=8))
    assert due == paris(2026, 3, 30, 17, 30)
    assert due.utcoffset() == timedelta(hours=2)


def test_working_hours_come_from_the_settings(settings):
    settings.HELPDESK_WORKING_HOURS = "09:00-17:00"
    settings.HELPDESK_WORKING_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat"]
    calendar = working_calendar()
    assert calendar.add(paris(2026, 3, 6, 16, 0), timedelta(hours=2)) == paris(2026, 3, 7, 10, 0)


@pytest.mark.django_db
def test_ticket_deadlines_follow_its_priority(open_ticket, requester):
    with time_machine.travel(paris(2026, 4, 3, 16, 0), tick=False):
        ticket = open_ticket(requester, urgency=Level.VERY_HIGH, impact=Level.VERY_HIGH)
    ticket.refresh_from_db()
    assert ticket.priority == 1
    assert ticket.first_response_due == paris(2026, 4, 3, 17, 0)
    assert ticket.resolution_due == paris(2026, 4, 7, 11, 0)
    # At risk once less than 25 % of the time is left: 45 min of the hour.
    assert ticket.first_response_warn_at == paris(2026, 4, 3, 16, 45)
    assert ticket.resolution_warn_at == paris(2026, 4, 7, 10, 0)


@pytest.mark.django_db
def test_at_risk_then_breached_on_the_ticket_and_in_the_lists(open_ticket, requester):
    with time_machine.travel(paris(2026, 3, 2, 9, 0), tick=False):
        ticket = open_ticket(requester, urgency=Level.VERY_HIGH, impact=Level.VERY_HIGH)
    checks = [
        (paris(2026, 3, 2, 9, 30), SlaState.OK, [], []),
        (paris(2026, 3, 2, 9, 50), SlaState.AT_RISK, [ticket.pk], []),
        (paris(2026, 3, 2, 10, 1), SlaState.BREACHED, [], [ticket.pk]),
    ]
    for moment, state, at_risk, breached in checks:
        with time_machine.travel(moment, tick=False):
            ticket = Ticket.objects.get(pk=ticket.pk)
            assert ticket.first_response_state() == state
            assert list(Ticket.objects.sla_at_risk().values_list("pk", flat=True)) == at_risk
            assert list(Ticket.objects.sla_breached().values_list("pk", flat=True)) == breached


@pytest.mark.django_db
def test_waiting_pauses_the_resolution_clock(open_ticket, requester, technician):
    with time_machine.travel(paris(2026, 3, 2, 9, 0), tick=False):  # Monday
        ticket = open_ticket(requester)  # P3: 3 working days (22.5 h)
    ticket.refresh_from_db()
    assert ticket.resolution_due == paris(2026, 3, 5, 9, 0)
    with time_machine.travel(paris(2026, 3, 2, 10, 0), tick=False):
        change_ticket_status(
            ticket=ticket,
            status=TicketStatus.WAITING,
            waiting_for=WaitingFor.REQUESTER,
            by=technician,
        )
    # Two days later, far past the original deadline: the clock is stopped, not breached.
    with time_machine.travel(paris(2026, 3, 5, 10, 0), tick=False):
        ticket.refresh_from_db()
        assert ticket.resolution_state() == SlaState.OK
        assert not Ticket.objects.sla_breached().exists()
        change_ticket_status(ticket=ticket, status=TicketStatus.IN_PROGRESS, by=technician)
    ticket.refresh_from_db()
    # Monday 10:00 → Thursday 10:00 = 3 working days paused: the deadline moves by 22.5 h.
    assert ticket.sla_paused_seconds == int(timedelta(hours=22, minutes=30).total_seconds())
    assert ticket.paused_since is None
    assert ticket.resolution_due == paris(2026, 3, 10, 9, 0)


@pytest.mark.django_db
def test_a_new_priority_moves_the_deadlines(open_ticket, requester, technician):
    from regie.helpdesk.services import update_ticket

    with time_machine.travel(paris(2026, 3, 2, 9, 0), tick=False):
        ticket = open_ticket(requester)
        update_ticket(ticket=ticket, changes={"urgency": 1, "impact": 1}, by=technician)
    ticket.refresh_from_db()
    assert ticket.priority == 1
    assert ticket.resolution_due == paris(2026, 3, 2, 14, 30)
    assert ticket.events.filter(kind="priority").get().new_value == "P1"
