"""Loan reminders through a real SMTP server: before the due date, then overdue, once each."""

import datetime as dt

import pytest
import time_machine

from regie.core.mail import retry_due_mails
from regie.core.models import MailStatus, OutgoingMail
from regie.core.schedule import periodic_jobs
from regie.core.testing import free_port
from regie.directory.tests.factories import PersonFactory
from regie.telework.models import LoanReminder, ReminderKind
from regie.telework.reminders import send_loan_reminders
from regie.telework.rounds import overdue_loan_items
from regie.telework.services import check_in_equipment, check_out_equipment
from regie.telework.tests.factories import CharterFactory, PoolLaptopFactory

pytestmark = pytest.mark.django_db
LENT = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def loan(technician):
    CharterFactory()
    person = PersonFactory(
        first_name="Chloé", last_name="Bernard", email="chloe.bernard@cc-melle.fr"
    )
    with time_machine.travel(LENT, tick=False):
        return check_out_equipment(
            asset=PoolLaptopFactory(name="PRET-07"),
            person=person,
            due_date=dt.date(2026, 12, 10),
            typed_name="Chloé Bernard",
            by=technician,
        )


@pytest.fixture
def run(settings, django_capture_on_commit_callbacks):
    """``run(day)``: the daily job on that day of December; its mails go out on commit, as
    the worker sends them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    def run_on(day, hour=7):
        with django_capture_on_commit_callbacks(execute=True):
            return send_loan_reminders(now=dt.datetime(2026, 12, day, hour, 0, tzinfo=dt.UTC))

    return run_on


def test_reminder_before_the_due_date_is_sent_once(loan, smtp_server, settings, run):
    settings.TELEWORK_REMINDER_DAYS = 2
    assert run(7).sent == 0  # three days before: too early
    assert run(8).sent == 1
    assert run(8).sent == 0
    assert run(9).sent == 0
    [mail] = smtp_server.messages
    assert mail["to"] == ["chloe.bernard@cc-melle.fr"]
    message = mail["message"]
    assert str(message["Subject"]).strip() == f"Rappel : {loan.asset} à rendre avant le 10/12/2026"
    assert "Bonjour Chloé Bernard," in message.get_content()
    assert "est à rendre le 10/12/2026" in message.get_content()
    reminder = LoanReminder.objects.get()
    assert (reminder.loan, reminder.kind, reminder.recipient) == (
        loan,
        ReminderKind.BEFORE_DUE,
        "chloe.bernard@cc-melle.fr",
    )


def test_overdue_reminder_is_sent_once_after_the_due_date(loan, smtp_server, run):
    assert run(10).sent == 1  # the due day itself: the "before" reminder
    assert run(11).sent == 1  # the day after: overdue
    assert run(12).sent == 0
    subjects = [str(mail["message"]["Subject"]).strip() for mail in smtp_server.messages]
    assert subjects == [
        f"Rappel : {loan.asset} à rendre avant le 10/12/2026",
        f"Retard : {loan.asset} devait être rendu le 10/12/2026",
    ]
    assert sorted(loan.reminders.values_list("kind", flat=True)) == ["before_due", "overdue"]


def test_returned_loans_and_people_without_address_get_nothing(loan, smtp_server, technician, run):
    check_in_equipment(loan=loan, condition="good", by=technician)
    assert run(11).sent == 0
    assert smtp_server.messages == []
    assert LoanReminder.objects.count() == 0


def test_a_person_without_address_is_counted_not_recorded(loan, smtp_server, run):
    loan.person.email = ""
    loan.person.save()
    result = run(11)
    assert (result.sent, result.without_address) == (0, 1)
    assert LoanReminder.objects.count() == 0


def test_an_unreachable_server_keeps_the_reminder_queued_until_it_is_back(
    loan, smtp_server, settings, run
):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nobody listens there
    result = run(11)
    assert result.sent == 1
    mail = OutgoingMail.objects.get()
    assert (mail.kind, mail.recipient_list(), mail.status, mail.attempts) == (
        "telework.overdue",
        ["chloe.bernard@cc-melle.fr"],
        MailStatus.FAILED,
        1,
    )
    assert run(11).sent == 0  # the reminder is recorded: not queued twice
    settings.EMAIL_PORT = port
    with time_machine.travel(mail.next_attempt_at, tick=False):
        assert retry_due_mails() == 1
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.SENT, 2)
    assert [m["to"] for m in smtp_server.messages] == [["chloe.bernard@cc-melle.fr"]]
    assert LoanReminder.objects.get().kind == ReminderKind.OVERDUE


def test_reminders_are_a_daily_job_at_eight():
    [job] = [job for job in periodic_jobs() if job.name == "telework.loan_reminders"]
    assert job.daily_at == dt.time(8)


def test_overdue_loans_appear_in_the_daily_round(loan, admin_user, staff_user):
    with time_machine.travel(dt.datetime(2026, 12, 12, 8, 0, tzinfo=dt.UTC), tick=False):
        [item] = overdue_loan_items(admin_user, None)
        assert overdue_loan_items(staff_user, None) == []
    assert item.key == f"loan:{loan.pk}:overdue"
    assert item.detail == "À rendre le 10/12/2026, 2 jours de retard"
    assert item.url == loan.get_absolute_url()
