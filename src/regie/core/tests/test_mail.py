"""The outbox: a mail is sent after the commit by the queued task, once, and /health says when
mails do not go out."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from regie.core.mail import attempt_mail, queue_mail, retry_due_mails
from regie.core.models import MailStatus, OutgoingMail

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def queue(**fields):
    fields.setdefault("kind", "test.mail")
    fields.setdefault("recipients", ["a@example.org", "", "b@example.org", "a@example.org"])
    fields.setdefault("subject", "Bonjour\n  à tous")
    fields.setdefault("body", "Texte")
    return queue_mail(**fields)


def test_a_mail_is_queued_with_its_task_only_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            mail = queue()
        assert DBTaskResult.objects.count() == 0
    assert len(callbacks) == 1
    callbacks[0]()
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.args_kwargs["args"]) == (
        "regie.core.tasks.send_outgoing_mail",
        [mail.pk],
    )
    mail.refresh_from_db()
    assert (mail.recipients, mail.subject, mail.status, mail.attempts, mail.next_attempt_at) == (
        "a@example.org\nb@example.org",
        "Bonjour à tous",
        MailStatus.QUEUED,
        0,
        NOW + dt.timedelta(minutes=1),
    )


def test_the_first_attempt_and_the_retry_job_send_a_mail_once(smtp_server):
    with time_machine.travel(NOW, tick=False):
        mail = queue()
        assert attempt_mail(mail_id=mail.pk).status == MailStatus.SENT
        assert attempt_mail(mail_id=mail.pk).attempts == 1  # a duplicate task sends nothing
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        assert retry_due_mails() == 0
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["to"] == ["a@example.org", "b@example.org"]
    assert (message["message"]["Auto-Submitted"], message["message"]["X-Regie-Event"]) == (
        "auto-generated",
        "test.mail",
    )
    assert attempt_mail(mail_id=999999) is None


def test_health_says_failing_when_mails_wait_with_no_worker(client):
    with time_machine.travel(NOW, tick=False):
        queue()
        assert client.get("/health").json()["mail"] == "ok"
    # Due at 9:01, the retry job runs every minute: at 9:04 nothing sends mail.
    with time_machine.travel(NOW + dt.timedelta(minutes=4), tick=False):
        response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["mail"] == "failing"
    assert OutgoingMail.objects.get().attempts == 0


def test_a_send_interrupted_by_a_killed_worker_is_retried(smtp_server):
    with time_machine.travel(NOW, tick=False):
        mail = queue()
        OutgoingMail.objects.filter(pk=mail.pk).update(
            status=MailStatus.SENDING, claimed_at=NOW, attempts=1
        )
    with time_machine.travel(NOW + dt.timedelta(minutes=11), tick=False):
        assert retry_due_mails() == 1
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.SENT, 2)
    assert len(smtp_server.messages) == 1


def test_many_mails_are_queued_at_once_and_sent_by_batches(
    django_capture_on_commit_callbacks, smtp_server, settings
):
    from regie.core import mail as outbox
    from regie.core.tasks import send_outgoing_mails

    mails = [(f"agent{n}@example.org", f"Objet {n}", "Texte") for n in range(120)] + [
        ("", "Sans adresse", "ignoré")
    ]
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            queued = outbox.queue_mails(kind="test.many", mails=mails)
        assert DBTaskResult.objects.count() == 0
    assert len(queued) == OutgoingMail.objects.count() == 120
    callbacks[0]()
    tasks = list(DBTaskResult.objects.order_by("enqueued_at", "pk"))
    assert [len(task.args_kwargs["args"][0]) for task in tasks] == [50, 50, 20]
    assert send_outgoing_mails.call(tasks[2].args_kwargs["args"][0]) == 20
    assert len(smtp_server.messages) == 20
    assert OutgoingMail.objects.filter(status=MailStatus.SENT).count() == 20
