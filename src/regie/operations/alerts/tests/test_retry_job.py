"""The periodic retry job, stale claims, deleted channels, slow and chatty receivers, and the
real database worker running the queued task."""

import datetime as dt
import time

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from regie.core import schedule
from regie.core.events import Event, Severity, publish
from regie.operations.alerts.models import Delivery, DeliveryStatus
from regie.operations.alerts.sending import ERROR_EXCERPT
from regie.operations.alerts.services import queue_deliveries, retry_due_deliveries
from regie.operations.alerts.tasks import retry_deliveries, send_delivery
from regie.operations.alerts.tests.conftest import run_queued_tasks
from regie.operations.alerts.tests.factories import WebhookChannelFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)


def event(url="/checks/12/") -> Event:
    return Event(kind="check.late", severity=Severity.WARNING, title="En retard", text="", url=url)


def test_the_retry_job_is_queued_every_minute_and_sends_what_is_due(receiver):
    [job] = [job for job in schedule.periodic_jobs() if job.name == "alerts.retry"]
    assert (job.task, job.every) == (retry_deliveries, dt.timedelta(minutes=1))
    WebhookChannelFactory(url=receiver.url)
    with time_machine.travel(START, tick=False) as clock:
        [delivery] = queue_deliveries(event=event())  # its queued task is lost
        DBTaskResult.objects.all().delete()
        clock.move_to(START + dt.timedelta(minutes=1))
        assert "alerts.retry" in schedule.queue_due_jobs()
        assert run_queued_tasks(retry_deliveries) == [1]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)
    assert len(receiver.requests) == 1


def test_a_late_first_task_does_not_send_a_failed_delivery_before_its_time(receiver):
    WebhookChannelFactory(url=receiver.url)
    receiver.answers = [500, 200]
    with time_machine.travel(START, tick=False) as clock:
        [delivery] = queue_deliveries(event=event())
        clock.move_to(START + dt.timedelta(minutes=1))
        retry_due_deliveries()  # the job got there first and failed: next attempt at 08:02
        clock.move_to(START + dt.timedelta(minutes=1, seconds=30))
        assert send_delivery.call(delivery.pk) == "retrying"  # the queued task, late
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.next_attempt_at) == (1, START + dt.timedelta(minutes=2))


def test_a_delivery_left_sending_by_a_killed_worker_is_sent_again_after_ten_minutes(receiver):
    channel = WebhookChannelFactory(url=receiver.url)
    common = {
        "channel": channel,
        "channel_name": channel.name,
        "kind": "check.down",
        "severity": "critical",
        "title": "t",
        "occurred_at": START,
        "status": DeliveryStatus.SENDING,
        "attempts": 1,
    }
    stale = Delivery.objects.create(**common, claimed_at=START - dt.timedelta(minutes=11))
    busy = Delivery.objects.create(**common, claimed_at=START - dt.timedelta(minutes=2))
    with time_machine.travel(START, tick=False):
        assert retry_due_deliveries() == 1
    stale.refresh_from_db()
    busy.refresh_from_db()
    assert (stale.status, stale.attempts) == (DeliveryStatus.SENT, 2)
    assert (busy.status, busy.attempts) == (DeliveryStatus.SENDING, 1)
    assert [request.json()["delivery"] for request in receiver.requests] == [stale.pk]


def test_deleting_a_channel_keeps_its_log_and_gives_up_what_was_waiting(receiver):
    channel = WebhookChannelFactory(name="Ancien webhook", url=receiver.url)
    [delivery] = queue_deliveries(event=event())
    channel.delete()
    delivery.refresh_from_db()
    assert (delivery.channel_id, delivery.channel_name) == (None, "Ancien webhook")

    assert send_delivery.call(delivery.pk) == "given_up"
    delivery.refresh_from_db()
    assert delivery.last_error == "Le canal a été supprimé."
    assert receiver.requests == []


def test_a_slow_webhook_times_out_and_is_retried(receiver, settings):
    settings.ALERTS_WEBHOOK_TIMEOUT = 1
    receiver.on_request = lambda path: time.sleep(1.5)
    WebhookChannelFactory(url=receiver.url)
    [delivery] = queue_deliveries(event=event())

    assert send_delivery.call(delivery.pk) == "retrying"
    delivery.refresh_from_db()
    assert delivery.last_error == "Pas de réponse du webhook en 1 s."


def test_a_huge_error_answer_is_cut(receiver):
    receiver.answers = [500]
    receiver.answer_body = b"x" * 5_000_000
    WebhookChannelFactory(url=receiver.url)
    [delivery] = queue_deliveries(event=event())

    assert send_delivery.call(delivery.pk) == "retrying"
    delivery.refresh_from_db()
    assert delivery.last_error == "Le webhook a répondu HTTP 500 : " + "x" * ERROR_EXCERPT


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_sends_a_published_event(receiver):
    WebhookChannelFactory(url=receiver.url)

    publish(event())  # outside a transaction: delivered at once

    delivery = Delivery.objects.get()
    call_command("db_worker", batch=True, interval=0, startup_delay=False)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)
    assert [request.json()["delivery"] for request in receiver.requests] == [delivery.pk]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
