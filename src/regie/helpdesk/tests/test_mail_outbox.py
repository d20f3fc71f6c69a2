"""Ticket mails go through the outbox: a mail server that is down loses no mail, shows on the
alerts' delivery log and on /health, and the retry job sends the mail once it is back."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from regie.core.models import MailStatus, OutgoingMail
from regie.core.tasks import retry_outgoing_mails
from regie.core.testing import free_port
from regie.helpdesk.models import Ticket

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def mail_server(smtp_server, settings):
    """The real SMTP server, with ``down()`` and ``up()`` to stop and restore the service."""
    port = settings.EMAIL_PORT
    settings.PUBLIC_URL = "https://regie.example.org"
    # The first attempt runs when the change commits, as the worker would run it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    closed = free_port()

    def down():
        settings.EMAIL_PORT = closed

    def up():
        settings.EMAIL_PORT = port

    smtp_server.down, smtp_server.up, smtp_server.closed_port = down, up, closed
    return smtp_server


@pytest.fixture
def requester_with_address(requester):
    requester.email = "agnes.durand@example.org"
    requester.save()
    return requester


def refused(port):
    return (
        f"Impossible d’envoyer par le serveur de messagerie 127.0.0.1:{port} : "
        "[Errno 111] Connection refused"
    )


def test_a_ticket_opened_while_the_mail_server_is_down_is_mailed_once_it_is_back(
    mail_server,
    open_ticket,
    requester_with_address,
    technician,
    client,
    django_capture_on_commit_callbacks,
):
    mail_server.down()
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            ticket = open_ticket(requester_with_address)
        assert Ticket.objects.filter(pk=ticket.pk).exists()
        mail = OutgoingMail.objects.get()
        subject = f"[Régie] Ticket n° {ticket.pk} enregistré : L'imprimante ne répond plus"
        assert (
            mail.kind,
            mail.recipient_list(),
            mail.subject,
            mail.url,
            mail.status,
            mail.attempts,
            mail.last_error,
            mail.next_attempt_at,
        ) == (
            "helpdesk.created",
            ["agnes.durand@example.org"],
            subject,
            f"/helpdesk/tickets/{ticket.pk}/",
            MailStatus.FAILED,
            1,
            refused(mail_server.closed_port),
            NOW + dt.timedelta(minutes=1),
        )
        assert mail_server.messages == []
        assert client.get("/health").json()["mail"] == "failing"
        client.force_login(technician)
        log = client.get(reverse("alerts:delivery-list")).content.decode()
        assert f'data-mail="{mail.pk}"' in log
        assert escape(subject) in log
        assert "Échec, nouvel essai prévu" in log
        assert refused(mail_server.closed_port) in log

    # Still down at the first retry: a second attempt, the next one 5 minutes later.
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        assert retry_outgoing_mails.call() == 0
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, 2)
    assert mail.next_attempt_at == NOW + dt.timedelta(minutes=6)

    mail_server.up()
    with time_machine.travel(NOW + dt.timedelta(minutes=3), tick=False):
        assert retry_outgoing_mails.call() == 0  # not due yet
    with time_machine.travel(NOW + dt.timedelta(minutes=6), tick=False):
        assert retry_outgoing_mails.call() == 1
        assert retry_outgoing_mails.call() == 0
        assert client.get("/health").json()["mail"] == "ok"
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.last_error, mail.next_attempt_at) == (
        MailStatus.SENT,
        3,
        "",
        None,
    )
    assert mail.sent_at == NOW + dt.timedelta(minutes=6)
    assert len(mail_server.messages) == 1
    received = mail_server.messages[0]
    assert (received["to"], str(received["message"]["Subject"]).strip()) == (
        ["agnes.durand@example.org"],
        subject,
    )
    assert f"https://regie.example.org/helpdesk/tickets/{ticket.pk}/" in (
        received["message"].get_content()
    )


def test_a_mail_is_given_up_after_the_last_attempt_and_can_be_retried_by_hand(
    mail_server,
    settings,
    open_ticket,
    requester_with_address,
    technician,
    client,
    django_capture_on_commit_callbacks,
):
    settings.ALERTS_MAX_ATTEMPTS = 2
    mail_server.down()
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(requester_with_address)
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        retry_outgoing_mails.call()
    mail = OutgoingMail.objects.get()
    assert (mail.status, mail.attempts, mail.next_attempt_at) == (MailStatus.GIVEN_UP, 2, None)
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        assert retry_outgoing_mails.call() == 0
        assert client.get("/health").json()["mail"] == "failing"
    mail.refresh_from_db()
    assert mail.attempts == 2

    client.force_login(technician)
    log = client.get(reverse("alerts:delivery-list"), {"status": "given_up"}).content.decode()
    assert "Abandonné" in log
    assert reverse("alerts:mail-retry", args=[mail.pk]) in log
    mail_server.up()
    response = client.post(reverse("alerts:mail-retry", args=[mail.pk]), follow=True)
    subject = f"[Régie] Ticket n° {ticket.pk} enregistré : L'imprimante ne répond plus"
    assert escape(f"Courriel « {subject} » envoyé.") in response.content.decode()
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.SENT, 3)
    assert len(mail_server.messages) == 1
    again = client.post(reverse("alerts:mail-retry", args=[mail.pk]), follow=True)
    assert (
        escape("Ce courriel est « Envoyé » : il n’y a rien à relancer.") in again.content.decode()
    )
    assert len(mail_server.messages) == 1
    assert client.get("/health").json()["mail"] == "ok"


def test_only_the_it_team_retries_a_mail(
    mail_server, open_ticket, requester_with_address, reader, client
):
    mail_server.down()
    open_ticket(requester_with_address)
    mail = OutgoingMail.objects.get()
    OutgoingMail.objects.filter(pk=mail.pk).update(status=MailStatus.GIVEN_UP, attempts=5)
    mail_server.up()
    client.force_login(reader)
    assert client.post(reverse("alerts:mail-retry", args=[mail.pk])).status_code == 403
    assert client.post(reverse("alerts:mail-retry", args=[999999])).status_code == 403
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.GIVEN_UP, 5)
    assert mail_server.messages == []
    log = client.get(reverse("alerts:delivery-list")).content.decode()
    assert f'data-mail="{mail.pk}"' in log
    assert reverse("alerts:mail-retry", args=[mail.pk]) not in log


def test_a_rolled_back_ticket_queues_no_mail(mail_server, open_ticket, requester_with_address):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        open_ticket(requester_with_address)
        raise RuntimeError("rollback")
    assert OutgoingMail.objects.count() == 0
    assert mail_server.messages == []
