"""E-mails about tickets, queued in the outbox with the change they tell about.

To the requester: ticket registered, public follow-up of the IT team, ticket resolved (with
the link to the satisfaction question). To the assignee: ticket assigned to them, follow-up
of the requester, ticket reopened. Written in the organisation's language (``LANGUAGE_CODE``,
French by default) and queued with ``regie.core.mail.queue_mail`` inside the transaction of
the change: the worker sends it once committed, and retries it while the mail server
(``REGIE_SMTP_*``) is down; failures show on the alerts' delivery log and on /health.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from regie.core.http import absolute_url
from regie.core.mail import queue_mail
from regie.core.models import OutgoingMail
from regie.helpdesk.models import FollowUp, Ticket

KINDS = ("created", "followup", "resolved", "assigned", "requester_followup", "reopened")


def _link(path: str) -> str:
    return absolute_url(path)


def build_message(kind: str, ticket: Ticket, followup: FollowUp | None) -> EmailMessage | None:
    """The mail for ``kind``, or ``None`` when its recipient has no address."""
    if kind in {"created", "followup", "resolved"}:
        recipient = ticket.requester.email
    else:
        recipient = ticket.assignee.email if ticket.assignee is not None else ""
    if not recipient:
        return None
    names = {"number": ticket.pk, "title": ticket.title}
    link = _link(ticket.get_absolute_url())
    author = str(followup.author) if followup is not None and followup.author else ""
    text = followup.text if followup is not None else ""
    if kind == "created":
        subject = _("Ticket #%(number)s registered: %(title)s") % names
        body = _(
            "Hello,\n\nYour request “%(title)s” has been registered as ticket #%(number)s. "
            "The IT team will get back to you.\n\nFollow it here: %(link)s\n"
        ) % {**names, "link": link}
    elif kind == "followup":
        subject = _("Ticket #%(number)s: new reply") % names
        body = _(
            "Hello,\n\n%(author)s replied on your ticket “%(title)s”:\n\n%(text)s\n\n%(link)s\n"
        ) % {
            **names,
            "author": author,
            "text": text,
            "link": link,
        }
    elif kind == "resolved":
        survey = _link(reverse("helpdesk:ticket-satisfaction", args=[ticket.pk]))
        subject = _("Ticket #%(number)s resolved: %(title)s") % names
        body = _(
            "Hello,\n\nYour ticket “%(title)s” has been resolved. If the problem is still "
            "there, you can reopen it: %(link)s\n\nHow satisfied are you with the way it "
            "was handled? Tell us in one click: %(survey)s\n"
        ) % {**names, "link": link, "survey": survey}
    elif kind == "assigned":
        subject = _("Ticket #%(number)s assigned to you: %(title)s") % names
        body = _(
            "Hello,\n\nTicket #%(number)s “%(title)s” has been assigned to you.\n\n%(link)s\n"
        ) % {
            **names,
            "link": link,
        }
    elif kind == "requester_followup":
        subject = _("Ticket #%(number)s: the requester replied") % names
        body = _(
            "%(author)s wrote on ticket #%(number)s “%(title)s”:\n\n%(text)s\n\n%(link)s\n"
        ) % {
            **names,
            "author": author,
            "text": text,
            "link": link,
        }
    elif kind == "reopened":
        subject = _("Ticket #%(number)s reopened: %(title)s") % names
        body = _("The requester reopened ticket #%(number)s “%(title)s”.\n\n%(link)s\n") % {
            **names,
            "link": link,
        }
    else:
        raise ValueError(f"unknown notification {kind!r}")
    return EmailMessage(subject=f"[Régie] {subject}", body=body, to=[recipient])


def queue(kind: str, ticket_id: int, followup_id: int | None = None) -> OutgoingMail | None:
    """Queue the mail of ``kind`` in the current transaction (a rolled-back change mails
    nobody); ``None`` when there is nobody to send it to."""
    ticket = Ticket.objects.select_related("requester", "assignee").filter(pk=ticket_id).first()
    if ticket is None:
        return None
    followup = (
        FollowUp.objects.filter(pk=followup_id).select_related("author").first()
        if followup_id is not None
        else None
    )
    if followup is not None and followup.private:
        return None  # never mail a private note
    with translation.override(settings.LANGUAGE_CODE):
        message = build_message(kind, ticket, followup)
    if message is None:
        return None
    return queue_mail(
        kind=f"helpdesk.{kind}",
        recipients=message.to,
        subject=str(message.subject),
        body=str(message.body),
        url=ticket.get_absolute_url(),
    )
