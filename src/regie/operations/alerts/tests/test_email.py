"""Alerts by e-mail, end to end: published event → delivery rows → real SMTP server."""

import datetime as dt

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from regie.core.events import Event, Severity, publish
from regie.core.testing import free_port
from regie.operations.alerts.models import Delivery, DeliveryStatus
from regie.operations.alerts.tasks import send_delivery
from regie.operations.alerts.tests.conftest import run_queued_tasks
from regie.operations.alerts.tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db

OCCURRED = dt.datetime(2026, 11, 30, 6, 15, tzinfo=dt.UTC)


def backup_down() -> Event:
    return Event(
        kind="check.down",
        severity=Severity.CRITICAL,
        title="Sauvegarde NAS Melle : en panne",
        text="Aucun signal depuis 02:00 (attendu toutes les 24 h).",
        url="/checks/12/",
        data={"check": 12},
        occurred_at=OCCURRED,
    )


def test_published_event_is_mailed_in_french_with_an_absolute_link(
    smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.PUBLIC_URL = "https://regie.cc-mellois.fr"
    settings.DEFAULT_FROM_EMAIL = "regie@cc-mellois.fr"
    ChannelFactory(name="Astreinte", recipients="astreinte@cc-mellois.fr\ndsi@cc-mellois.fr")

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        publish(backup_down())

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.kind, delivery.title) == (
        DeliveryStatus.PENDING,
        "check.down",
        "Sauvegarde NAS Melle : en panne",
    )
    assert DBTaskResult.objects.get().args_kwargs == {"args": [delivery.pk], "kwargs": {}}

    assert run_queued_tasks() == ["sent"]

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 1
    assert delivery.sent_at is not None
    [received] = smtp_server.messages
    assert received["from"] == "regie@cc-mellois.fr"
    assert received["to"] == ["astreinte@cc-mellois.fr", "dsi@cc-mellois.fr"]
    message = received["message"]
    assert str(message["Subject"]).strip() == "[Régie] Critique : Sauvegarde NAS Melle : en panne"
    assert message["Auto-Submitted"] == "auto-generated"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Aucun signal depuis 02:00 (attendu toutes les 24 h)." in text
    assert "Ouvrir dans Régie : https://regie.cc-mellois.fr/checks/12/" in text
    assert "Survenu le : 30/11/2026 07:15" in text  # Europe/Paris
    assert '<a href="https://regie.cc-mellois.fr/checks/12/">Ouvrir dans Régie</a>' in html


def test_nothing_is_sent_when_the_publishing_transaction_rolls_back(
    smtp_server, django_capture_on_commit_callbacks
):
    ChannelFactory()

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                publish(backup_down())
                raise RuntimeError("the check's change failed")
        except RuntimeError:
            pass

    assert Delivery.objects.count() == 0
    assert smtp_server.messages == []


def test_unreachable_mail_server_is_retried_later(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    ChannelFactory()
    with django_capture_on_commit_callbacks(execute=True):
        publish(backup_down())

    delivery = Delivery.objects.get()
    assert send_delivery.call(delivery.pk) == "retrying"

    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert delivery.last_error.startswith(
        f"Impossible d’envoyer par le serveur de messagerie 127.0.0.1:{settings.EMAIL_PORT}"
    )


# Loopback only: the test server takes a password without TLS on purpose.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_credentials_are_used_and_html_is_escaped(
    settings, django_capture_on_commit_callbacks
):
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    from regie.core.testing import SmtpRecorder

    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password == b"mot-de-passe")

    recorder = SmtpRecorder()
    port = free_port()
    controller = Controller(
        recorder,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_require_tls=False,
        auth_required=True,
    )
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "regie", "mot-de-passe"
        ChannelFactory()
        hostile = Event(
            kind="finding.new",
            severity=Severity.WARNING,
            title="<script>alert(1)</script>",
            text="a < b & c",
            url="/findings/3/",
        )
        with django_capture_on_commit_callbacks(execute=True):
            publish(hostile)
        assert run_queued_tasks() == ["sent"]
    finally:
        controller.stop()
    assert logins == [("regie", "mot-de-passe")]
    html = recorder.messages[0]["message"].get_body(("html",)).get_content()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "a &lt; b &amp; c" in html
    text = recorder.messages[0]["message"].get_body(("plain",)).get_content()
    assert "Avertissement : <script>alert(1)</script>" in text  # plain text is not HTML
