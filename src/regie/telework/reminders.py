"""Mails reminding borrowers to bring equipment back: some days before the due date, and
once it is overdue. Each kind of reminder goes at most once per loan, whatever the retries:
the reminder's row and its mail in the outbox (``regie.core.mail``) are written together, and
the outbox retries the mail while the mail server is down."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from regie.core.mail import queue_mail
from regie.telework.models import Loan, LoanReminder, ReminderKind


@dataclass
class ReminderResult:
    sent: int = 0
    without_address: int = 0


def _message(loan: Loan, kind: str) -> tuple[str, str]:
    values = {
        "name": loan.person.full_name,
        "asset": str(loan.asset),
        "due": loan.due_date.strftime("%d/%m/%Y"),
    }
    if kind == ReminderKind.BEFORE_DUE:
        subject = _("Reminder: %(asset)s to return by %(due)s") % values
        body = _(
            "Hello %(name)s,\n\nThe equipment lent to you, %(asset)s, is due back on %(due)s. "
            "Please bring it back to the IT department with its accessories, or tell us if "
            "you need it longer.\n\nThe IT department"
        )
    else:
        subject = _("Overdue: %(asset)s was due back on %(due)s") % values
        body = _(
            "Hello %(name)s,\n\nThe equipment lent to you, %(asset)s, was due back on %(due)s. "
            "Please return it to the IT department as soon as possible, or contact us to "
            "extend the loan.\n\nThe IT department"
        )
    return subject, body % values


def _candidates(kind: str, today: datetime.date) -> list[Loan]:
    loans = Loan.objects.open().exclude(reminders__kind=kind)
    if kind == ReminderKind.BEFORE_DUE:
        horizon = today + datetime.timedelta(days=settings.TELEWORK_REMINDER_DAYS)
        loans = loans.filter(due_date__gte=today, due_date__lte=horizon)
    else:
        loans = loans.filter(due_date__lt=today)
    return list(loans.select_related("person", "asset").order_by("due_date", "pk"))


def _send(loan: Loan, kind: str, now: datetime.datetime) -> None:
    subject, body = _message(loan, kind)
    # The row and the queued mail in one transaction: a second run finds the row and queues
    # nothing; the outbox sends the mail after the commit and retries it if it fails.
    with transaction.atomic():
        LoanReminder.objects.create(loan=loan, kind=kind, sent_at=now, recipient=loan.person.email)
        queue_mail(
            kind=f"telework.{kind}",
            recipients=[loan.person.email],
            subject=subject,
            body=body,
            url=loan.get_absolute_url(),
        )


def send_loan_reminders(*, now: datetime.datetime | None = None) -> ReminderResult:
    """Queue the reminders due today; those already sent are not sent again."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = ReminderResult()
    with translation.override(settings.LANGUAGE_CODE):
        for kind in (ReminderKind.BEFORE_DUE, ReminderKind.OVERDUE):
            for loan in _candidates(kind, today):
                if not loan.person.email:
                    result.without_address += 1
                    continue
                try:
                    _send(loan, kind, now)
                except IntegrityError:
                    continue  # another worker sent it meanwhile
                result.sent += 1
    return result
