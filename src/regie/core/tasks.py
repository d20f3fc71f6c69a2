"""Background entry points of the core (run by `regie worker`)."""

from __future__ import annotations

from django_tasks import task

from regie.core.mail import attempt_mail, retry_due_mails
from regie.core.models import MailStatus


@task()
def send_outgoing_mail(mail_id: int) -> str:
    """Send one queued mail (its first attempt); returns its status. A duplicate task is
    harmless: a mail already claimed or sent is left alone."""
    mail = attempt_mail(mail_id=mail_id)
    return "missing" if mail is None else str(mail.status)


@task()
def send_outgoing_mails(mail_ids: list[int]) -> int:
    """Send a batch of queued mails (a message to every member of staff); returns how many
    went out. Like ``send_outgoing_mail``, a mail already claimed or sent is left alone."""
    sent = 0
    for mail_id in mail_ids:
        mail = attempt_mail(mail_id=mail_id)
        sent += mail is not None and mail.status == MailStatus.SENT
    return sent


@task()
def retry_outgoing_mails() -> int:
    """The periodic job: send the mails whose next attempt is due."""
    return retry_due_mails()
