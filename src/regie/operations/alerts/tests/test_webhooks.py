"""Webhooks through a real local HTTP receiver: formats, signature, retries, claims."""

import datetime as dt
import hashlib
import hmac
import threading

import pytest
import time_machine
from django.db import connection

from regie.core.events import Event, Severity
from regie.core.testing import free_port
from regie.operations.alerts.models import Delivery, DeliveryStatus, WebhookFormat
from regie.operations.alerts.services import queue_deliveries, retry_due_deliveries
from regie.operations.alerts.tasks import send_delivery
from regie.operations.alerts.tests.factories import ChannelFactory, WebhookChannelFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)


def event(kind="check.down", severity=Severity.CRITICAL, url="/checks/12/") -> Event:
    return Event(
        kind=kind,
        severity=severity,
        title="Sauvegarde NAS Melle : en panne",
        text="Aucun signal depuis 02:00.",
        url=url,
        data={"check": 12},
        occurred_at=START,
    )


def deliver(channel, **kwargs) -> Delivery:
    [delivery] = queue_deliveries(event=event(**kwargs))
    send_delivery.call(delivery.pk)
    delivery.refresh_from_db()
    return delivery


@pytest.fixture(autouse=True)
def _public_url(settings):
    settings.PUBLIC_URL = "https://regie.cc-mellois.fr"
    settings.ALERTS_RETRY_MINUTES = [1, 5, 15, 60]
    settings.ALERTS_MAX_ATTEMPTS = 5


def test_generic_payload_is_the_event_with_an_absolute_link(receiver):
    channel = WebhookChannelFactory(url=receiver.url, format=WebhookFormat.GENERIC)

    delivery = deliver(channel)

    assert (delivery.status, delivery.response_status, delivery.attempts) == ("sent", 200, 1)
    [request] = receiver.requests
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert request.headers["X-Regie-Event"] == "check.down"
    assert "X-Regie-Signature-256" not in request.headers
    assert request.json() == {
        "delivery": delivery.pk,
        "kind": "check.down",
        "severity": "critical",
        "title": "Sauvegarde NAS Melle : en panne",
        "text": "Aucun signal depuis 02:00.",
        "url": "https://regie.cc-mellois.fr/checks/12/",
        "data": {"check": 12},
        "occurred_at": "2026-11-30T08:00:00Z",
    }


def test_teams_payload_is_an_adaptive_card_message(receiver):
    WebhookChannelFactory(url=receiver.url, format=WebhookFormat.TEAMS)

    deliver(None)

    body = receiver.requests[0].json()
    assert body["type"] == "message"
    [attachment] = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert (card["type"], card["version"]) == ("AdaptiveCard", "1.4")
    assert card["body"][0]["text"] == "Sauvegarde NAS Melle : en panne"
    assert card["body"][0]["color"] == "Attention"
    assert card["body"][1]["text"] == "Aucun signal depuis 02:00."
    assert {"title": "Gravité", "value": "Critique"} in card["body"][2]["facts"]
    assert card["actions"] == [
        {
            "type": "Action.OpenUrl",
            "title": "Ouvrir dans Régie",
            "url": "https://regie.cc-mellois.fr/checks/12/",
        }
    ]


def test_mattermost_payload_is_slack_compatible(receiver):
    WebhookChannelFactory(url=receiver.url, format=WebhookFormat.MATTERMOST)

    deliver(None)

    body = receiver.requests[0].json()
    assert body["text"] == "**Critique** : Sauvegarde NAS Melle : en panne"
    [attachment] = body["attachments"]
    assert attachment["title_link"] == "https://regie.cc-mellois.fr/checks/12/"
    assert attachment["text"] == "Aucun signal depuis 02:00."
    assert attachment["color"] == "#c62828"
    assert {"short": True, "title": "Événement", "value": "check.down"} in attachment["fields"]


def test_matrix_payload_is_hookshot_text_and_html(receiver):
    WebhookChannelFactory(url=receiver.url, format=WebhookFormat.MATRIX)

    deliver(None, url="/checks/12/?a=1&b=<2>")

    body = receiver.requests[0].json()
    link = "https://regie.cc-mellois.fr/checks/12/?a=1&b=<2>"
    assert body["text"] == (
        f"Critique : Sauvegarde NAS Melle : en panne\nAucun signal depuis 02:00.\n{link}"
    )
    assert body["html"] == (
        "<p><strong>Critique : Sauvegarde NAS Melle : en panne</strong></p>"
        "<p>Aucun signal depuis 02:00.</p>"
        '<p><a href="https://regie.cc-mellois.fr/checks/12/?a=1&amp;b=&lt;2&gt;">'
        "Ouvrir dans Régie</a></p>"
    )


def test_signature_is_the_hmac_sha256_of_the_body(receiver):
    WebhookChannelFactory(url=receiver.url, secret="s3cr3t-partagé")

    deliver(None)

    [request] = receiver.requests
    expected = hmac.new("s3cr3t-partagé".encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Regie-Signature-256"] == f"sha256={expected}"


def test_a_500_answer_is_retried_on_the_backoff_schedule_then_given_up(receiver):
    WebhookChannelFactory(url=receiver.url)
    receiver.answers = [500]
    with time_machine.travel(START, tick=False) as clock:
        [delivery] = queue_deliveries(event=event())
        send_delivery.call(delivery.pk)
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.response_status) == (
            DeliveryStatus.RETRYING,
            1,
            500,
        )
        assert delivery.last_error == "Le webhook a répondu HTTP 500 : Internal trouble"
        waits: list[int] = []
        for expected_wait in (1, 5, 15, 60):
            assert delivery.next_attempt_at == START + dt.timedelta(
                minutes=sum(waits) + expected_wait
            )
            # Not yet due one second before: the job sends nothing.
            clock.move_to(delivery.next_attempt_at - dt.timedelta(seconds=1))
            assert retry_due_deliveries() == 0
            attempts_before = len(receiver.requests)
            clock.move_to(delivery.next_attempt_at)
            retry_due_deliveries()
            assert len(receiver.requests) == attempts_before + 1
            waits.append(expected_wait)
            delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
            DeliveryStatus.GIVEN_UP,
            5,
            None,
        )
        clock.move_to(START + dt.timedelta(days=1))
        retry_due_deliveries()
    assert len(receiver.requests) == 5


def test_a_refused_connection_is_retried_and_succeeds_later(receiver):
    channel = WebhookChannelFactory(url=f"http://127.0.0.1:{free_port()}/hook")
    with time_machine.travel(START, tick=False) as clock:
        [delivery] = queue_deliveries(event=event())
        send_delivery.call(delivery.pk)
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.RETRYING
        assert delivery.last_error.startswith("Impossible de joindre le webhook")
        assert delivery.response_status is None

        channel.url = receiver.url  # the receiver is back
        channel.save()
        clock.move_to(START + dt.timedelta(minutes=1))
        assert retry_due_deliveries() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")
    assert len(receiver.requests) == 1


def test_a_redirect_to_another_host_is_refused(receiver):
    receiver.redirect_to = "http://localhost:1/elsewhere"
    WebhookChannelFactory(url=receiver.url)

    delivery = deliver(None)

    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.last_error == "Redirection vers localhost refusée (HTTP 307)."
    assert [request.path for request in receiver.requests] == ["/hook"]


def test_a_redirect_on_the_same_host_is_followed(receiver):
    receiver.redirect_to = receiver.url.replace("/hook", "/hook/v2")
    WebhookChannelFactory(url=receiver.url)

    delivery = deliver(None)

    assert delivery.status == DeliveryStatus.SENT
    assert [request.path for request in receiver.requests] == ["/hook", "/hook/v2"]
    assert receiver.requests[0].body == receiver.requests[1].body


@pytest.mark.django_db(transaction=True)
def test_two_retry_jobs_never_send_a_delivery_twice(receiver):
    """While the first job is sending, a second job runs in another worker thread."""
    WebhookChannelFactory(url=receiver.url)
    deliveries = [queue_deliveries(event=event(url=f"/checks/{number}/"))[0] for number in range(3)]
    Delivery.objects.update(next_attempt_at=START)
    second_job: list[int] = []

    def run_second_job(path):
        if second_job:
            return

        def job():
            second_job.append(retry_due_deliveries())
            connection.close()

        thread = threading.Thread(target=job)
        thread.start()
        thread.join()

    receiver.on_request = run_second_job
    first = retry_due_deliveries()

    assert first + second_job[0] == 3
    delivered = sorted(request.json()["delivery"] for request in receiver.requests)
    assert delivered == sorted(delivery.pk for delivery in deliveries)
    assert set(Delivery.objects.values_list("status", "attempts")) == {("sent", 1)}
    # A duplicate task for a sent delivery changes nothing.
    assert send_delivery.call(deliveries[0].pk) == "sent"
    assert len(receiver.requests) == 3


def test_an_e_mail_channel_and_a_webhook_each_get_their_delivery(receiver, smtp_server):
    ChannelFactory(name="Astreinte")
    WebhookChannelFactory(name="Mattermost DSI", url=receiver.url)

    created = queue_deliveries(event=event())
    for delivery in created:
        send_delivery.call(delivery.pk)

    assert sorted(d.channel_name for d in created) == ["Astreinte", "Mattermost DSI"]
    assert len(smtp_server.messages) == 1
    assert len(receiver.requests) == 1
