"""Alert channels (where to send) and deliveries (one event sent, or being sent, to one channel).

A delivery keeps a snapshot of its event, so the log still reads right after the check or the
finding that caused it has changed or gone.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator, validate_email
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regie.core.events import Event, Severity
from regie.core.models import TimeStampedModel

MAX_RECIPIENTS = 50
_SEVERITY_RANK: dict[str, int] = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}
_KIND_PREFIX = re.compile(r"^[a-z0-9_][a-z0-9_.-]*$")
_SEPARATORS = re.compile(r"[\s,;]+")


def severity_rank(severity: str) -> int:
    """0 for information, 1 for a warning, 2 for critical (unknown values count as 0)."""
    return _SEVERITY_RANK.get(severity, 0)


def split_list(text: str) -> list[str]:
    """Items of a list typed one per line or separated by commas, semicolons or spaces."""
    return [item for item in _SEPARATORS.split(text or "") if item]


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook")


class WebhookFormat(models.TextChoices):
    GENERIC = "generic", _("Generic JSON")
    TEAMS = "teams", _("Microsoft Teams")
    MATTERMOST = "mattermost", _("Mattermost (Slack-compatible)")
    MATRIX = "matrix", _("Matrix (hookshot)")


class Channel(TimeStampedModel):
    """A destination for alerts: a list of e-mail addresses, or a webhook URL."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=16, choices=ChannelKind.choices, default=ChannelKind.EMAIL
    )
    recipients = models.TextField(
        _("recipients"),
        blank=True,
        help_text=_("E-mail addresses, one per line or separated by commas."),
    )
    url = models.CharField(
        _("webhook URL"),
        max_length=1000,
        blank=True,
        help_text=_("Address the alert is posted to (http or https)."),
    )
    format = models.CharField(
        _("payload format"),
        max_length=16,
        choices=WebhookFormat.choices,
        default=WebhookFormat.GENERIC,
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_(
            "When set, each request carries an X-Regie-Signature-256 header: sha256= followed "
            "by the HMAC-SHA256 of the body with this secret."
        ),
    )
    event_kinds = models.CharField(
        _("event kinds"),
        max_length=500,
        blank=True,
        help_text=_(
            "Beginnings of the event kinds to send, separated by commas (e.g. “check.” or "
            "“check.down, finding.”); empty: every event."
        ),
    )
    min_severity = models.CharField(
        _("minimum severity"), max_length=16, choices=Severity.choices, default=Severity.INFO
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("alert channel")
        verbose_name_plural = _("alert channels")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                name="alerts_channel_unique_name",
                violation_error_message=_("A channel with this name already exists."),
            ),
            models.CheckConstraint(
                condition=(Q(kind=ChannelKind.EMAIL) & ~Q(recipients=""))
                | (Q(kind=ChannelKind.WEBHOOK) & ~Q(url="")),
                name="alerts_channel_has_destination",
                violation_error_message=_(
                    "An e-mail channel needs recipients; a webhook channel needs a URL."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("alerts:channel-detail", args=[self.pk])

    # --- validation ----------------------------------------------------------------------
    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.kind == ChannelKind.EMAIL:
            self.recipients = "\n".join(dict.fromkeys(split_list(self.recipients)))
            self.url = ""
            self.secret = ""
            self.format = WebhookFormat.GENERIC
            errors.update(self._recipient_errors())
        elif self.kind == ChannelKind.WEBHOOK:
            self.recipients = ""
            self.url = (self.url or "").strip()
            errors.update(self._url_errors())
        prefixes = split_list(self.event_kinds)
        bad = [prefix for prefix in prefixes if not _KIND_PREFIX.match(prefix)]
        if bad:
            errors["event_kinds"] = [
                str(
                    _("“%(value)s” is not an event kind such as check.down or check.")
                    % {"value": bad[0][:50]}
                )
            ]
        self.event_kinds = ", ".join(dict.fromkeys(prefixes))
        if errors:
            raise ValidationError(errors)

    def _recipient_errors(self) -> dict[str, list[str]]:
        addresses = self.recipient_list()
        if not addresses:
            return {"recipients": [str(_("Give at least one e-mail address."))]}
        if len(addresses) > MAX_RECIPIENTS:
            return {
                "recipients": [
                    str(_("At most %(max)d addresses per channel.") % {"max": MAX_RECIPIENTS})
                ]
            }
        invalid = []
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                invalid.append(address[:80])
        if invalid:
            return {
                "recipients": [
                    str(_("“%(value)s” is not a valid e-mail address.") % {"value": value})
                    for value in invalid
                ]
            }
        return {}

    def _url_errors(self) -> dict[str, list[str]]:
        if not self.url:
            return {"url": [str(_("Give the address of the webhook."))]}
        message = str(_("Enter a web address starting with http:// or https://."))
        if urlsplit(self.url).scheme.lower() not in {"http", "https"}:
            return {"url": [message]}
        try:
            URLValidator(schemes=["http", "https"])(self.url)
        except ValidationError:
            return {"url": [message]}
        return {}

    # --- reading -------------------------------------------------------------------------
    def recipient_list(self) -> list[str]:
        return split_list(self.recipients)

    def kind_prefixes(self) -> list[str]:
        return split_list(self.event_kinds)

    def accepts(self, event: Event) -> bool:
        """Whether ``event`` passes this channel's filters (whether it is enabled aside)."""
        if severity_rank(event.severity) < severity_rank(self.min_severity):
            return False
        prefixes = self.kind_prefixes()
        return not prefixes or any(event.kind.startswith(prefix) for prefix in prefixes)

    @property
    def destination(self) -> str:
        """Where alerts go, for lists: the addresses, or the webhook's host only (the rest of
        a webhook URL is often its secret)."""
        if self.kind == ChannelKind.EMAIL:
            return ", ".join(self.recipient_list())
        return masked_url(self.url)


def masked_url(url: str) -> str:
    """``https://chat.example.org/…``: the scheme and host of a URL, the rest hidden."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return "…"
    host = parts.netloc.rpartition("@")[2]  # never show user:password@
    return f"{parts.scheme}://{host}/…"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    RETRYING = "retrying", _("Failed, will retry")
    GIVEN_UP = "given_up", _("Given up")


RETRYABLE = (DeliveryStatus.RETRYING, DeliveryStatus.GIVEN_UP)
_BADGES: dict[str, str] = {
    DeliveryStatus.SENT: "approved",
    DeliveryStatus.RETRYING: "held",
    DeliveryStatus.GIVEN_UP: "report-failed",
}


class Delivery(TimeStampedModel):
    """One event for one channel: what was sent, when, how it went."""

    channel = models.ForeignKey(
        Channel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("channel"),
    )
    channel_name = models.CharField(_("channel name"), max_length=100)
    kind = models.CharField(_("event kind"), max_length=100)
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    occurred_at = models.DateTimeField(_("occurred at"))
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert delivery")
        verbose_name_plural = _("alert deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="alerts_delivery_due"),
            models.Index(fields=["-created_at"], name="alerts_delivery_created"),
            models.Index(fields=["channel", "kind", "url", "-created_at"], name="alerts_dedup"),
        ]

    def __str__(self) -> str:
        return f"{self.channel_name} · {self.title}"

    @property
    def badge(self) -> str:
        """The CSS modifier of the status badge (reusing the project's colours)."""
        return _BADGES.get(self.status, "report-received")

    @property
    def can_retry(self) -> bool:
        return self.status in RETRYABLE and self.channel_id is not None

    def as_event(self) -> Event:
        return Event(
            kind=self.kind,
            severity=Severity(self.severity),
            title=self.title,
            text=self.text,
            url=self.url,
            data=self.data,
            occurred_at=self.occurred_at,
        )
