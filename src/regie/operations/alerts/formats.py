"""What one alert looks like on the wire: the e-mail, and the body of each webhook format.

Every link is absolute (``settings.PUBLIC_URL`` + the event's path). Labels are in the
organisation's language (``settings.LANGUAGE_CODE``); the event's title and text already are.

Webhook formats:

* ``generic`` — one flat JSON object (see ``generic_payload``), for scripts and automation;
* ``teams`` — a message with one Adaptive Card, which Teams *Workflows* ("post to a channel
  when a webhook request is received") and the older incoming webhooks both accept;
* ``mattermost`` — the Slack-compatible ``{"text", "attachments"}`` of incoming webhooks;
* ``matrix`` — ``{"text", "html"}`` for a matrix-hookshot *generic webhook*, the usual way a
  self-hosted Matrix server takes messages from outside.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from regie.core.events import Severity
from regie.core.http import absolute_url
from regie.operations.alerts.models import Delivery, WebhookFormat

# Colours by severity: Mattermost attachment bar, Teams card text colour.
_COLOURS: dict[str, str] = {
    Severity.INFO: "#2f6fb0",
    Severity.WARNING: "#d9822b",
    Severity.CRITICAL: "#c62828",
}
_TEAMS_COLOURS: dict[str, str] = {
    Severity.INFO: "Accent",
    Severity.WARNING: "Warning",
    Severity.CRITICAL: "Attention",
}


def one_line(text: str, limit: int = 200) -> str:
    """Text safe for a mail subject or a title: no line breaks, at most ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass(frozen=True)
class Alert:
    """A delivery's event as every format needs it, labels translated."""

    delivery_id: int
    kind: str
    severity: str
    severity_label: str
    title: str
    text: str
    link: str
    data: dict[str, Any]
    occurred_at: str  # ISO 8601, UTC
    occurred_local: str  # as people read it, in the configured time zone
    channel: str

    @classmethod
    def of(cls, delivery: Delivery) -> Alert:
        with translation.override(settings.LANGUAGE_CODE):
            severity_label = str(Severity(delivery.severity).label)
            local = timezone.localtime(delivery.occurred_at)
            return cls(
                delivery_id=delivery.pk,
                kind=delivery.kind,
                severity=delivery.severity,
                severity_label=severity_label,
                title=one_line(delivery.title, 300),
                text=delivery.text,
                link=absolute_url(delivery.url or "/"),
                data=delivery.data,
                occurred_at=delivery.occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
                occurred_local=local.strftime("%d/%m/%Y %H:%M"),
                channel=delivery.channel_name,
            )


# --- e-mail ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str


def render_mail(alert: Alert) -> Mail:
    with translation.override(settings.LANGUAGE_CODE):
        subject = one_line(
            _("[Régie] %(severity)s: %(title)s")
            % {"severity": alert.severity_label, "title": alert.title}
        )
        context = {"alert": alert}
        return Mail(
            subject=subject,
            text=render_to_string("alerts/email.txt", context),
            html=render_to_string("alerts/email.html", context),
        )


# --- webhooks --------------------------------------------------------------------------------


def generic_payload(alert: Alert) -> dict[str, Any]:
    return {
        "delivery": alert.delivery_id,
        "kind": alert.kind,
        "severity": alert.severity,
        "title": alert.title,
        "text": alert.text,
        "url": alert.link,
        "data": alert.data,
        "occurred_at": alert.occurred_at,
    }


def _facts(alert: Alert) -> list[tuple[str, str]]:
    return [
        (_("Severity"), alert.severity_label),
        (_("Event"), alert.kind),
        (_("Occurred at"), alert.occurred_local),
    ]


def teams_payload(alert: Alert) -> dict[str, Any]:
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "msteams": {"width": "Full"},
        "body": [
            {
                "type": "TextBlock",
                "text": alert.title,
                "weight": "Bolder",
                "size": "Medium",
                "wrap": True,
                "color": _TEAMS_COLOURS.get(alert.severity, "Default"),
            },
            {"type": "TextBlock", "text": alert.text, "wrap": True},
            {
                "type": "FactSet",
                "facts": [{"title": title, "value": value} for title, value in _facts(alert)],
            },
        ],
        "actions": [{"type": "Action.OpenUrl", "title": _("Open in Régie"), "url": alert.link}],
    }
    return {
        "type": "message",
        "summary": alert.title,
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


def mattermost_payload(alert: Alert) -> dict[str, Any]:
    return {
        "text": f"**{alert.severity_label}** : {alert.title}",
        "attachments": [
            {
                "fallback": f"{alert.severity_label} : {alert.title} — {alert.link}",
                "color": _COLOURS.get(alert.severity, "#808080"),
                "title": alert.title,
                "title_link": alert.link,
                "text": alert.text,
                "fields": [
                    {"short": True, "title": title, "value": value}
                    for title, value in _facts(alert)
                ],
                "footer": "Régie",
            }
        ],
    }


def matrix_payload(alert: Alert) -> dict[str, Any]:
    text = f"{alert.severity_label} : {alert.title}\n{alert.text}\n{alert.link}".strip()
    html = (
        f"<p><strong>{escape(alert.severity_label)} : {escape(alert.title)}</strong></p>"
        f"<p>{escape(alert.text)}</p>"
        f'<p><a href="{escape(alert.link)}">{escape(_("Open in Régie"))}</a></p>'
    )
    return {"text": text, "html": html.replace("\n", "<br>"), "username": "Régie"}


_BUILDERS = {
    WebhookFormat.GENERIC: generic_payload,
    WebhookFormat.TEAMS: teams_payload,
    WebhookFormat.MATTERMOST: mattermost_payload,
    WebhookFormat.MATRIX: matrix_payload,
}


def webhook_body(alert: Alert, webhook_format: str) -> bytes:
    """The JSON body (UTF-8) of ``alert`` in ``webhook_format``."""
    with translation.override(settings.LANGUAGE_CODE):
        payload = _BUILDERS[WebhookFormat(webhook_format)](alert)
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False).encode("utf-8")
