"""Writes of the alerts: channels saved, deliveries created, claimed, sent, retried.

A delivery is sent by whoever *claims* it: one conditional UPDATE moves it from pending (or
failed, waiting for a retry) to "sending" and counts the attempt. Only one worker's UPDATE
can match, so a delivery is never sent twice by two workers, however many run the retry job
at once. A worker killed while sending leaves the row "sending": after ``STALE_CLAIM`` it is
due again (at-least-once: the receiver may then get it twice, never more often).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from regie.core.events import Event, Severity
from regie.core.history import save_with_history
from regie.core.models import ChangeRecord, ChangeSource, User
from regie.operations.alerts.formats import Alert, one_line, render_mail, webhook_body
from regie.operations.alerts.models import (
    RETRYABLE,
    Channel,
    ChannelKind,
    Delivery,
    DeliveryStatus,
)
from regie.operations.alerts.sending import DeliveryError, post_webhook, send_mail

logger = logging.getLogger(__name__)

TEST_KIND = "alerts.test"
STALE_CLAIM = timedelta(minutes=10)
RETRY_BATCH = 100
_HIDDEN = "••••••"
_SENDABLE = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)


# --- channels --------------------------------------------------------------------------------


def save_channel(*, channel: Channel, by: User | None, source: str = ChangeSource.WEB) -> Channel:
    """Save a validated channel with its history; the signing secret never shows there."""
    with transaction.atomic():
        save_with_history(instance=channel, by=by, source=source)
        ChangeRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(Channel),
            object_id=channel.pk,
            field="secret",
        ).exclude(old_value__in=["", _HIDDEN], new_value__in=["", _HIDDEN]).update(
            old_value=_mask_if_set("old_value"), new_value=_mask_if_set("new_value")
        )
    return channel


def _mask_if_set(column: str) -> Case:
    return Case(When(**{column: ""}, then=Value("")), default=Value(_HIDDEN))


# --- deliveries ------------------------------------------------------------------------------


def retry_wait(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt (the last wait repeats)."""
    schedule = settings.ALERTS_RETRY_MINUTES
    return timedelta(minutes=schedule[min(max(attempts, 1), len(schedule)) - 1])


def _is_duplicate(channel: Channel, event: Event, now: datetime) -> bool:
    window = settings.ALERTS_DEDUP_SECONDS
    if window <= 0:
        return False
    return Delivery.objects.filter(
        channel=channel,
        kind=event.kind,
        url=event.url,
        created_at__gte=now - timedelta(seconds=window),
    ).exists()


def _new_delivery(channel: Channel, event: Event, now: datetime) -> Delivery:
    delivery = Delivery(
        channel=channel,
        channel_name=channel.name,
        kind=event.kind[:100],
        severity=event.severity,
        title=one_line(event.title, 300),
        text=event.text,
        url=event.url[:500],
        data=event.data,
        occurred_at=event.occurred_at,
        # A safety net: if the queued task is lost, the retry job sends it after this.
        next_attempt_at=now + retry_wait(1),
    )
    delivery.save()
    return delivery


def _enqueue(delivery_ids: list[int]) -> None:
    from regie.operations.alerts.tasks import send_delivery

    def enqueue() -> None:
        for delivery_id in delivery_ids:
            send_delivery.enqueue(delivery_id)

    transaction.on_commit(enqueue)


def queue_deliveries(*, event: Event) -> list[Delivery]:
    """One delivery per enabled channel whose filters accept ``event``, each queued for sending.

    The same event kind and link to the same channel within ``ALERTS_DEDUP_SECONDS`` is a
    burst of one thing: it is not sent again.
    """
    now = timezone.now()
    created: list[Delivery] = []
    with transaction.atomic():
        for channel in Channel.objects.filter(enabled=True).order_by("pk"):
            if not channel.accepts(event):
                continue
            if _is_duplicate(channel, event, now):
                logger.info(
                    "alert %s to %s: duplicate within the window, skipped", event.kind, channel
                )
                continue
            created.append(_new_delivery(channel, event, now))
        _enqueue([delivery.pk for delivery in created])
    return created


def on_event(event: Event) -> None:
    """The subscriber of ``regie.core.events``: turns every published event into deliveries."""
    queue_deliveries(event=event)


def send_test_alert(*, channel: Channel, by: User) -> Delivery:
    """Send a test alert to ``channel`` now, through the same path as real ones.

    Filters and the enabled flag do not apply: a channel can be tried before it is enabled.
    """
    with translation.override(settings.LANGUAGE_CODE):
        event = Event(
            kind=TEST_KIND,
            severity=Severity.INFO,
            title=_("Test alert from Régie"),
            text=_(
                "%(user)s sent this test alert to check the channel “%(channel)s”. "
                "Nothing needs to be done."
            )
            % {"user": by, "channel": channel.name},
            url=reverse("alerts:channel-detail", args=[channel.pk]),
            data={"test": True},
        )
    delivery = _new_delivery(channel, event, timezone.now())
    return attempt_delivery(delivery_id=delivery.pk) or delivery


def retry_now(*, delivery: Delivery) -> Delivery:
    """Try a failed or given-up delivery once more, now."""
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk, status__in=RETRYABLE, channel__isnull=False).update(
        status=DeliveryStatus.RETRYING, next_attempt_at=now, updated_at=now
    )
    return attempt_delivery(delivery_id=delivery.pk, due_by=now) or delivery


def _claim(delivery_id: int, *, due_by: datetime | None) -> bool:
    """Take the delivery for sending: a first attempt (``due_by`` None, the queued task), or
    any attempt due by ``due_by`` (the retry job, "retry now")."""
    now = timezone.now()
    if due_by is None:
        claimable = Q(pk=delivery_id, status=DeliveryStatus.PENDING)
    else:
        claimable = Q(pk=delivery_id, status__in=_SENDABLE, next_attempt_at__lte=due_by)
    return (
        Delivery.objects.filter(claimable).update(
            status=DeliveryStatus.SENDING,
            claimed_at=now,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
        == 1
    )


def _send(delivery: Delivery) -> int | None:
    channel = delivery.channel
    if channel is None:
        raise DeliveryError(_("The channel was deleted."))
    alert = Alert.of(delivery)
    if channel.kind == ChannelKind.EMAIL:
        send_mail(
            recipients=channel.recipient_list(), mail=render_mail(alert), event_kind=alert.kind
        )
        return None
    return post_webhook(
        url=channel.url,
        body=webhook_body(alert, channel.format),
        secret=channel.secret,
        event_kind=alert.kind,
        delivery_id=delivery.pk,
    )


def _finish(delivery: Delivery, **fields: object) -> Delivery:
    fields["updated_at"] = timezone.now()
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(**fields)
    delivery.refresh_from_db()
    return delivery


def attempt_delivery(*, delivery_id: int, due_by: datetime | None = None) -> Delivery | None:
    """Claim the delivery and send it once; ``None`` if it does not exist.

    Without ``due_by``, only a pending delivery (its first attempt: the queued task); with it,
    a pending or failed one whose next attempt is due by then (the retry job). A delivery
    another worker has claimed, or already sent, is left alone and returned as it is.
    """
    if not _claim(delivery_id, due_by=due_by):
        return Delivery.objects.filter(pk=delivery_id).first()
    delivery = Delivery.objects.select_related("channel").get(pk=delivery_id)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            response_status = _send(delivery)
    except DeliveryError as exc:
        return _failed(delivery, str(exc), exc.status)
    except Exception as exc:  # a bug must not leave the row "sending" until the stale limit
        logger.exception("alert delivery %s failed unexpectedly", delivery_id)
        return _failed(delivery, f"{type(exc).__name__}: {exc}"[:1000], None)
    return _finish(
        delivery,
        status=DeliveryStatus.SENT,
        sent_at=timezone.now(),
        response_status=response_status,
        last_error="",
        next_attempt_at=None,
        claimed_at=None,
    )


def _failed(delivery: Delivery, error: str, status: int | None) -> Delivery:
    logger.warning("alert delivery %s, attempt %s: %s", delivery.pk, delivery.attempts, error)
    give_up = delivery.attempts >= settings.ALERTS_MAX_ATTEMPTS or delivery.channel_id is None
    return _finish(
        delivery,
        status=DeliveryStatus.GIVEN_UP if give_up else DeliveryStatus.RETRYING,
        last_error=error,
        response_status=status,
        next_attempt_at=None if give_up else timezone.now() + retry_wait(delivery.attempts),
        claimed_at=None,
    )


def retry_due_deliveries(*, limit: int = RETRY_BATCH) -> int:
    """Send the deliveries whose (next) attempt is due; returns how many of them are sent.

    Safe to run in several workers at once: each delivery is claimed before it is sent.
    """
    now = timezone.now()
    # A worker killed in the middle of a send: its claim goes stale, the delivery is due again.
    Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=DeliveryStatus.RETRYING,
        next_attempt_at=now,
        claimed_at=None,
        last_error=_("Interrupted while sending."),
        updated_at=now,
    )
    due = list(
        Delivery.objects.filter(status__in=_SENDABLE, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for delivery_id in due:
        delivery = attempt_delivery(delivery_id=delivery_id, due_by=now)
        sent += delivery is not None and delivery.status == DeliveryStatus.SENT
    return sent
