"""The two ways out: an e-mail through the configured SMTP server, a JSON POST to a webhook.

Both raise :class:`DeliveryError` with a message for the delivery log when the alert did not
get through. Webhooks: a short timeout (``ALERTS_WEBHOOK_TIMEOUT``), at most
``MAX_REDIRECTS`` redirects and only to the same host, at most ``MAX_RESPONSE_BYTES`` of the
answer read, and an ``X-Regie-Signature-256`` header when the channel has a secret.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.translation import gettext as _

from regie.core.mail import MailError, send_message
from regie.operations.alerts.formats import Mail

MAX_REDIRECTS = 3
MAX_RESPONSE_BYTES = 64 * 1024
ERROR_EXCERPT = 500
SIGNATURE_HEADER = "X-Regie-Signature-256"
_REDIRECTS_KEEPING_POST = {301, 302, 307, 308}
_DEFAULT_PORTS = {"http": 80, "https": 443}


class DeliveryError(Exception):
    """The alert did not get through; ``status`` is the HTTP answer's, when there was one."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


# --- e-mail ----------------------------------------------------------------------------------


def send_mail(*, recipients: list[str], mail: Mail, event_kind: str) -> None:
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        headers={"Auto-Submitted": "auto-generated", "X-Regie-Event": event_kind},
    )
    message.attach_alternative(mail.html, "text/html")
    try:
        send_message(message)
    except MailError as exc:
        raise DeliveryError(str(exc)) from exc


# --- webhooks --------------------------------------------------------------------------------


def signature(secret: str, body: bytes) -> str:
    """``sha256=<hex>``: what a receiver recomputes with the shared secret to trust a body."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def _origin(url: str) -> tuple[str, int | None]:
    parts = urlsplit(url)
    return (parts.hostname or "", parts.port or _DEFAULT_PORTS.get(parts.scheme))


def _same_host(current: str, target: str) -> bool:
    """The same host and port, or the same host moving from http to https."""
    if urlsplit(target).scheme not in {"http", "https"}:
        return False
    here, there = _origin(current), _origin(target)
    if here[0] != there[0]:
        return False
    upgrade = urlsplit(current).scheme == "http" and urlsplit(target).scheme == "https"
    return here[1] == there[1] or upgrade


def _read_capped(response: httpx.Response) -> str:
    received = bytearray()
    for chunk in response.iter_bytes():
        received.extend(chunk)
        if len(received) >= MAX_RESPONSE_BYTES:
            break
    return bytes(received[:MAX_RESPONSE_BYTES]).decode("utf-8", "replace")


def post_webhook(*, url: str, body: bytes, secret: str, event_kind: str, delivery_id: int) -> int:
    """POST ``body`` to ``url``; returns the 2xx status, else raises :class:`DeliveryError`."""
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Regie-alerts/1",
        "X-Regie-Event": event_kind,
        "X-Regie-Delivery": str(delivery_id),
    }
    if secret:
        headers[SIGNATURE_HEADER] = signature(secret, body)
    target = url
    timeout = httpx.Timeout(settings.ALERTS_WEBHOOK_TIMEOUT)
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            for _redirect in range(MAX_REDIRECTS + 1):
                with client.stream("POST", target, content=body, headers=headers) as response:
                    answer = _read_capped(response)
                    status = response.status_code
                    location = response.headers.get("location", "")
                if 200 <= status < 300:
                    return status
                if 300 <= status < 400 and location:
                    following = urljoin(target, location)
                    if status not in _REDIRECTS_KEEPING_POST or not _same_host(target, following):
                        raise DeliveryError(
                            _("Redirect to %(target)s refused (HTTP %(status)s).")
                            % {
                                "target": _origin(following)[0] or following[:100],
                                "status": status,
                            },
                            status=status,
                        )
                    target = following
                    continue
                excerpt = " ".join(answer.split())[:ERROR_EXCERPT]
                raise DeliveryError(
                    _("The webhook answered HTTP %(status)s: %(answer)s")
                    % {"status": status, "answer": excerpt or "—"},
                    status=status,
                )
    except httpx.TimeoutException as exc:
        raise DeliveryError(
            _("No answer from the webhook within %(seconds)s s.")
            % {"seconds": settings.ALERTS_WEBHOOK_TIMEOUT}
        ) from exc
    except httpx.HTTPError as exc:
        raise DeliveryError(
            _("Cannot reach the webhook: %(error)s") % {"error": str(exc) or type(exc).__name__}
        ) from exc
    raise DeliveryError(_("Too many redirects."))
