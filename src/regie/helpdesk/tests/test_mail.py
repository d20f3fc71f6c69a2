"""Notifications through a real SMTP server on loopback (aiosmtpd)."""

import email

import pytest
from aiosmtpd.controller import Controller

from regie.core.testing import free_port
from regie.helpdesk.services import add_followup, assign_ticket, change_ticket_status

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        charset = message.get_content_charset() or "utf-8"
        body = message.get_payload(decode=True).decode(charset).replace("\r\n", "\n")
        subject = email.header.make_header(email.header.decode_header(message["Subject"]))
        self.messages.append((envelope.rcpt_tos, str(subject), body))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.PUBLIC_URL = "https://regie.example.org"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    yield inbox
    controller.stop()


def test_requester_and_assignee_are_told_after_commit(
    smtp,
    open_ticket,
    requester,
    technician,
    admin_user,
    staff_user,
    django_capture_on_commit_callbacks,
):
    requester.email = "agnes.durand@example.org"
    requester.save()
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(requester)
    assert smtp.messages == [
        (
            ["agnes.durand@example.org"],
            f"[Régie] Ticket n° {ticket.pk} enregistré : L'imprimante ne répond plus",
            "Bonjour,\n\nVotre demande « L'imprimante ne répond plus » a été enregistrée sous le "
            f"numéro {ticket.pk}. Le service informatique revient vers vous rapidement.\n\n"
            f"Suivez-la ici : https://regie.example.org/helpdesk/tickets/{ticket.pk}/\n",
        )
    ]
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assign_ticket(ticket=ticket, assignee=technician, by=admin_user)
        add_followup(ticket=ticket, text="Note interne", private=True, by=technician)
        add_followup(ticket=ticket, text="Toujours en panne", by=staff_user)
        change_ticket_status(ticket=ticket, status="resolved", by=technician)
    recipients = [(to, subject.split(":")[0]) for to, subject, _ in smtp.messages]
    assert recipients == [
        (["tech@example.org"], f"[Régie] Ticket n° {ticket.pk} qui vous est attribué "),
        (["tech@example.org"], f"[Régie] Ticket n° {ticket.pk} "),
        (["agnes.durand@example.org"], f"[Régie] Ticket n° {ticket.pk} résolu "),
    ]
    assert "Toujours en panne" in smtp.messages[1][2]
    assert all("Note interne" not in body for _, _, body in smtp.messages)
    assert (
        f"https://regie.example.org/helpdesk/tickets/{ticket.pk}/satisfaction/"
        in smtp.messages[2][2]
    )


def test_nothing_is_sent_for_a_rolled_back_change(smtp, open_ticket, requester):
    from django.db import transaction

    requester.email = "agnes.durand@example.org"
    requester.save()
    with pytest.raises(RuntimeError), transaction.atomic():
        open_ticket(requester)
        raise RuntimeError("rollback")
    assert smtp.messages == []
