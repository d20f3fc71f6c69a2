"""Telework's section of the daily round: loans past their due date."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regie.core.events import Severity
from regie.core.models import User
from regie.core.rounds import RoundItem, RoundSource, register_source
from regie.telework.permissions import loan_policy

SHOWN = 50


def overdue_loan_items(user: User, since: datetime.datetime | None) -> list[RoundItem]:
    today = timezone.localdate()
    loans = loan_policy.visible(user).overdue(today).order_by("due_date", "pk")[:SHOWN]
    return [
        RoundItem(
            key=f"loan:{loan.pk}:overdue",
            title=str(loan),
            detail=_("Due back on %(due)s, %(days)d days late")
            % {"due": loan.due_date.strftime("%d/%m/%Y"), "days": (today - loan.due_date).days},
            url=loan.get_absolute_url(),
            severity=Severity.WARNING,
            since=timezone.make_aware(
                datetime.datetime.combine(
                    loan.due_date + datetime.timedelta(days=1), datetime.time.min
                )
            ),
            site_id=loan.person.site_id or loan.asset.site_id,
        )
        for loan in loans
    ]


def register() -> None:
    register_source(
        RoundSource(
            key="loans",
            label=gettext_lazy("Overdue loans"),
            order=40,
            items=overdue_loan_items,
        )
    )
