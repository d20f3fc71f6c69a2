"""The outbox: mails queued with the change they tell about, sent after the commit, retried.

``queue_mail`` stores an :class:`~regie.core.models.OutgoingMail` inside the caller's
transaction (a ticket that is rolled back mails nobody) and queues its sending once the
transaction commits. A mail server that is down does not lose the mail: the attempt is
counted, the error kept, and the periodic job ``retry_due_mails`` tries again on the alerts'
schedule (``ALERTS_RETRY_MINUTES``) until ``ALERTS_MAX_ATTEMPTS``, then gives up.

A mail is sent by whoever *claims* it: one conditional UPDATE moves it to "sending" and counts
the attempt, so two workers never send the same mail. A worker killed while sending leaves the
row "sending"; after ``STALE_CLAIM`` it is due again (at least once, never more than twice).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.core.models import MAIL_RETRYABLE, MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

STALE_CLAIM = timedelta(minutes=10)
RETRY_BATCH = 100
MAIL_BATCH = 50  # mails sent by one task of queue_mails
ERROR_EXCERPT = 500
# The retry job runs every minute: a mail still waiting this long after its due attempt means
# no worker sends mail.
OVERDUE = timedelta(minutes=2)
_SENDABLE = (MailStatus.QUEUED, MailStatus.FAILED)
_WAITING = (MailStatus.QUEUED, MailStatus.SENDING, MailStatus.FAILED)


class MailError(Exception):
    """The mail server did not take the mail; the message says why, for the log."""


def retry_wait(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt (the last wait repeats)."""
    schedule = settings.ALERTS_RETRY_MINUTES
    return timedelta(minutes=schedule[min(max(attempts, 1), len(schedule)) - 1])


def send_message(message: EmailMessage) -> None:
    """Send ``message`` through the configured SMTP server or raise :class:`MailError`."""
    message.connection = get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT)
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        refused = ", ".join(sorted(exc.recipients))
        raise MailError(
            _("The mail server refused the recipients: %(list)s") % {"list": refused}
        ) from exc
    except smtplib.SMTPResponseException as exc:
        raw = exc.smtp_error
        detail = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        raise MailError(
            _("The mail server answered %(code)s: %(detail)s")
            % {"code": exc.smtp_code, "detail": detail[:ERROR_EXCERPT]}
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(
            _("Cannot send through the mail server %(host)s:%(port)s: %(error)s")
            % {
                "host": settings.EMAIL_HOST,
                "port": settings.EMAIL_PORT,
                "error": str(exc) or type(exc).__name__,
            }
        ) from exc


def queue_mail(
    *,
    kind: str,
    recipients: Iterable[str],
    subject: str,
    body: str,
    html_body: str = "",
    url: str = "",
) -> OutgoingMail:
    """Store the mail in the current transaction; it is sent once the transaction commits."""
    now = timezone.now()
    mail = OutgoingMail(
        kind=kind[:100],
        recipients="\n".join(dict.fromkeys(address for address in recipients if address)),
        subject=" ".join(subject.split())[:300],
        body=body,
        html_body=html_body,
        url=url[:500],
        # A safety net: if the queued task is lost, the retry job sends it after this.
        next_attempt_at=now + retry_wait(1),
    )
    mail.full_clean()
    mail.save()
    mail_id = mail.pk

    def enqueue() -> None:
        from regie.core.tasks import send_outgoing_mail

        send_outgoing_mail.enqueue(mail_id)

    transaction.on_commit(enqueue)
    return mail


def queue_mails(
    *, kind: str, mails: Iterable[tuple[str, str, str]], url: str = ""
) -> list[OutgoingMail]:
    """:func:`queue_mail` for many one-recipient mails at once, ``(recipient, subject, body)``
    each (a message to every member of staff): one insert for all, in the caller's
    transaction; each is sent by its own task once the transaction commits."""
    now = timezone.now()
    rows = [
        OutgoingMail(
            kind=kind[:100],
            recipients=recipient,
            subject=" ".join(subject.split())[:300],
            body=body,
            url=url[:500],
            next_attempt_at=now + retry_wait(1),
        )
        for recipient, subject, body in mails
        if recipient
    ]
    for row in rows:
        row.clean_fields()
    created = OutgoingMail.objects.bulk_create(rows)
    mail_ids = [mail.pk for mail in created]

    def enqueue() -> None:
        from regie.core.tasks import send_outgoing_mails

        # One task per batch, not per mail: thousands of queued tasks would cost seconds.
        for start in range(0, len(mail_ids), MAIL_BATCH):
            send_outgoing_mails.enqueue(mail_ids[start : start + MAIL_BATCH])

    transaction.on_commit(enqueue)
    return created


def _claim(mail_id: int, *, due_by: datetime | None) -> bool:
    now = timezone.now()
    if due_by is None:
        claimable = Q(pk=mail_id, status=MailStatus.QUEUED)
    else:
        claimable = Q(pk=mail_id, status__in=_SENDABLE, next_attempt_at__lte=due_by)
    return (
        OutgoingMail.objects.filter(claimable).update(
            status=MailStatus.SENDING,
            claimed_at=now,
            attempted_at=now,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
        == 1
    )


def _message(mail: OutgoingMail) -> EmailMessage:
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=mail.recipient_list(),
        headers={"Auto-Submitted": "auto-generated", "X-Regie-Event": mail.kind},
    )
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    return message


def _finish(mail: OutgoingMail, **fields: object) -> OutgoingMail:
    fields["updated_at"] = timezone.now()
    OutgoingMail.objects.filter(pk=mail.pk, status=MailStatus.SENDING).update(**fields)
    mail.refresh_from_db()
    return mail


def attempt_mail(*, mail_id: int, due_by: datetime | None = None) -> OutgoingMail | None:
    """Claim the mail and send it once; ``None`` if it does not exist.

    Without ``due_by``, only a queued mail (its first attempt: the task queued at commit);
    with it, a queued or failed one whose next attempt is due by then (the retry job, "retry
    now"). A mail another worker has claimed, or already sent, is returned as it is.
    """
    if not _claim(mail_id, due_by=due_by):
        return OutgoingMail.objects.filter(pk=mail_id).first()
    mail = OutgoingMail.objects.get(pk=mail_id)
    try:
        send_message(_message(mail))
    except MailError as exc:
        return _failed(mail, str(exc))
    except Exception as exc:  # a bug must not leave the row "sending" until the stale limit
        logger.exception("outgoing mail %s failed unexpectedly", mail_id)
        return _failed(mail, f"{type(exc).__name__}: {exc}"[:1000])
    return _finish(
        mail,
        status=MailStatus.SENT,
        sent_at=timezone.now(),
        last_error="",
        next_attempt_at=None,
        claimed_at=None,
    )


def _failed(mail: OutgoingMail, error: str) -> OutgoingMail:
    logger.warning("outgoing mail %s, attempt %s: %s", mail.pk, mail.attempts, error)
    give_up = mail.attempts >= settings.ALERTS_MAX_ATTEMPTS
    return _finish(
        mail,
        status=MailStatus.GIVEN_UP if give_up else MailStatus.FAILED,
        last_error=error,
        next_attempt_at=None if give_up else timezone.now() + retry_wait(mail.attempts),
        claimed_at=None,
    )


def retry_due_mails(*, limit: int = RETRY_BATCH) -> int:
    """Send the mails whose (next) attempt is due; returns how many of them are sent.

    Safe to run in several workers at once: each mail is claimed before it is sent.
    """
    now = timezone.now()
    OutgoingMail.objects.filter(status=MailStatus.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=MailStatus.FAILED,
        next_attempt_at=now,
        claimed_at=None,
        last_error=_("Interrupted while sending."),
        updated_at=now,
    )
    due = list(
        OutgoingMail.objects.filter(status__in=_SENDABLE, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for mail_id in due:
        mail = attempt_mail(mail_id=mail_id, due_by=now)
        sent += mail is not None and mail.status == MailStatus.SENT
    return sent


def retry_mail_now(*, mail: OutgoingMail) -> OutgoingMail:
    """Try a failed or given-up mail once more, now."""
    now = timezone.now()
    OutgoingMail.objects.filter(pk=mail.pk, status__in=MAIL_RETRYABLE).update(
        status=MailStatus.FAILED, next_attempt_at=now, updated_at=now
    )
    return attempt_mail(mail_id=mail.pk, due_by=now) or mail


def mail_state(now: datetime | None = None) -> str:
    """``"failing"`` when the latest attempt failed or a mail waits past its due attempt (no
    worker sends), else ``"ok"``; for /health."""
    now = now or timezone.now()
    latest = (
        OutgoingMail.objects.filter(attempted_at__isnull=False)
        .order_by("-attempted_at", "-pk")
        .values_list("status", flat=True)
        .first()
    )
    if latest in MAIL_RETRYABLE:
        return "failing"
    overdue = OutgoingMail.objects.filter(
        status__in=_WAITING, next_attempt_at__lt=now - OVERDUE
    ).exists()
    return "failing" if overdue else "ok"
