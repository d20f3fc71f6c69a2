"""Mails reminding borrowers to bring equipment back: some days before the due date, and
once it is overdue. Each kind of reminder goes at most once per loan, whatever the retries."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from regie.telework.models import Loan, LoanReminder, ReminderKind

logger = logging.getLogger(__name__)


@dataclass
class ReminderResult:
    sent: int = 0
    without_address: int = 0
    failed: int = 0


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
    # The row first, in the same transaction as the mail: a failed mail leaves no row (it
    # is tried again tomorrow), a second run finds the row and sends nothing.
    with transaction.atomic():
        LoanReminder.objects.create(loan=loan, kind=kind, sent_at=now, recipient=loan.person.email)
        send_mail(subject, body, None, [loan.person.email])


def send_loan_reminders(*, now: datetime.datetime | None = None) -> ReminderResult:
    """Mail the reminders due today; those already sent are not sent again."""
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
                except OSError:
                    logger.exception("Loan reminder for loan %s not sent", loan.pk)
                    result.failed += 1
                    continue
                result.sent += 1
    return result
