"""Declaring and ending the continuity plan, and reading the page's sections.

:func:`declare_plan` does everything in ONE transaction, with history: it records the
activation, runs every section's ``activate`` hook in the page's order (telework books the
pool's laptops before the on-site section turns the bookings into deliveries), then queues a
French message to every active person with an e-mail address. A plan already in force is
refused (:class:`AlreadyDeclared`); so is a bad end date, before anything is written.
:func:`end_plan` runs the ``end`` hooks (telephony turns off the forwardings it set) and keeps
the record.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from regie.continuity.models import Activation, MessageTemplate
from regie.core.continuity import ContinuitySection, SectionResult, section_summary, sections
from regie.core.history import save_with_history
from regie.core.http import absolute_url
from regie.core.mail import queue_mails
from regie.core.models import ChangeSource, User
from regie.directory.models import Person
from regie.inventory.coverage import Coverage, fleet_coverage
from regie.telework.continuity import news_for_people
from regie.telework.models import Charter

logger = logging.getLogger(__name__)

MAX_DAYS = 366
PAGE_ROWS = 10  # rows per table on the page (read in two minutes); the kit and the API: all


class AlreadyDeclared(Exception):
    """A plan is in force already: declaring again changes nothing."""


class NotDeclared(Exception):
    """No plan is in force: there is nothing to end."""


def active_activation() -> Activation | None:
    return Activation.objects.active().select_related("started_by").first()


def default_ends_on(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(
        days=settings.CONTINUITY_DEFAULT_DAYS
    )


def check_ends_on(ends_on: datetime.date, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    if ends_on < today:
        raise ValidationError({"ends_on": _("The end date cannot be in the past.")})
    if ends_on > today + datetime.timedelta(days=MAX_DAYS):
        raise ValidationError({"ends_on": _("The end date must be within a year.")})


# --- the page ------------------------------------------------------------------------------


@dataclass
class SectionView:
    section: ContinuitySection
    result: SectionResult

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def label(self) -> Any:
        return self.section.label


@dataclass
class Page:
    now: datetime.datetime
    ends_on: datetime.date
    activation: Activation | None
    coverage: Coverage
    sections: list[SectionView]


def build_page(
    user: User,
    *,
    limit: int | None = PAGE_ROWS,
    now: datetime.datetime | None = None,
    fresh: bool = False,
) -> Page:
    """Every section's summary for ``user``, dated by the plan in force (else a plan that
    would start now and last ``CONTINUITY_DEFAULT_DAYS``)."""
    now = now or timezone.now()
    activation = active_activation()
    ends_on = activation.ends_on if activation else default_ends_on(timezone.localdate(now))
    context: dict[str, Any] = {
        "now": now,
        "ends_on": ends_on,
        "active": activation is not None,
        "limit": limit,
        "state": f"plan-{activation.pk}" if activation else "no-plan",
        "fresh": fresh,
    }
    views = [
        SectionView(section, section_summary(section, user, context)) for section in sections()
    ]
    return Page(now, ends_on, activation, fleet_coverage(user), views)


# --- declaring and ending ------------------------------------------------------------------


def _message_values(
    person: Person, news: Any, ends_on: datetime.date, charter_url: str
) -> dict[str, str]:
    delivery = news.delivery if news is not None and news.delivery else "aucun"
    reasons = "\n".join(f"- {reason}" for reason in news.reasons) if news is not None else ""
    return {
        "name": person.full_name,
        "ends_on": ends_on.strftime("%d/%m/%Y"),
        "readiness": news.readiness if news is not None else "",
        "reasons": reasons,
        "delivery": delivery,
        "charter": charter_url or "—",
    }


def queue_messages(activation: Activation, template: MessageTemplate) -> int:
    """One French message per active person with an e-mail address (in the transaction)."""
    people = list(
        Person.objects.filter(active=True)
        .exclude(email="")
        .select_related("department", "site")
        .order_by("pk")
    )
    charter = Charter.current(timezone.localdate(activation.started_at))
    charter_url = absolute_url(charter.get_absolute_url()) if charter is not None else ""
    with override("fr"):
        news = news_for_people(people, activation=activation)
        mails = []
        for person in people:
            values = _message_values(person, news.get(person.pk), activation.ends_on, charter_url)
            subject, body = template.render(values)
            mails.append((person.email, subject, body))
    queued = queue_mails(kind="continuity.declared", mails=mails, url=absolute_url("/continuity/"))
    return len(queued)


def declare_plan(
    *,
    ends_on: datetime.date,
    by: User,
    source: str = ChangeSource.WEB,
    now: datetime.datetime | None = None,
) -> Activation:
    """Declare the plan until ``ends_on``; see the module docstring."""
    now = now or timezone.now()
    check_ends_on(ends_on, timezone.localdate(now))
    template = MessageTemplate.current()
    try:
        with transaction.atomic():
            if Activation.objects.active().select_for_update().exists():
                raise AlreadyDeclared
            activation = Activation(
                started_at=now,
                started_by=by,
                ends_on=ends_on,
                message_subject=template.subject,
                message_body=template.body,
            )
            activation.full_clean()
            save_with_history(instance=activation, by=by, source=source)
            results: dict[str, Any] = {}
            for section in sections():
                if section.activate is not None:
                    activation.results = results
                    results[section.key] = section.activate(activation, by)
            activation.results = results
            activation.messages_queued = queue_messages(activation, template)
            save_with_history(instance=activation, by=by, source=source)
    except IntegrityError as exc:  # another administrator declared it at the same moment
        raise AlreadyDeclared from exc
    return activation


def end_plan(*, by: User, source: str = ChangeSource.WEB) -> Activation:
    """End the plan in force: every section's ``end`` hook, the record kept."""
    with transaction.atomic():
        activation = Activation.objects.active().select_for_update().first()
        if activation is None:
            raise NotDeclared
        ended: dict[str, Any] = {}
        for section in sections():
            if section.end is not None:
                ended[section.key] = section.end(activation, by)
        activation.results = {**activation.results, "ended": ended}
        activation.active = False
        activation.ended_at = timezone.now()
        activation.ended_by = by
        save_with_history(instance=activation, by=by, source=source)
    return activation
