"""Things that happened and that someone may want to be told about.

A check going down, a serious compliance finding: the app where it happens *publishes* an
:class:`Event`; apps that react (alerts by e-mail and webhooks, …) *subscribe* when they
start. Publishers know nothing of subscribers, so dependencies keep pointing down.

Handlers run after the publishing transaction commits (never for a rolled-back change), in
the order they subscribed; a failing handler is logged and does not stop the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class Severity(models.TextChoices):
    INFO = "info", _("Information")
    WARNING = "warning", _("Warning")
    CRITICAL = "critical", _("Critical")


@dataclass(frozen=True)
class Event:
    """One occurrence. ``title`` and ``text`` are already in the organisation's language."""

    kind: str  # dotted, e.g. "check.down", "check.up", "finding.new"
    severity: Severity
    title: str  # one line: "Sauvegarde NAS Melle : en panne"
    text: str  # a few lines for a human
    url: str  # path of the page about it, e.g. "/checks/12/"
    data: dict[str, Any] = field(default_factory=dict)  # JSON-serialisable details
    occurred_at: datetime = field(default_factory=timezone.now)


Handler = Callable[[Event], object]
_HANDLERS: list[Handler] = []


def subscribe(handler: Handler) -> Handler:
    """Call ``handler(event)`` for every event published from now on."""
    if handler not in _HANDLERS:
        _HANDLERS.append(handler)
    return handler


def publish(event: Event) -> None:
    """Hand ``event`` to every subscriber once the current transaction commits."""
    transaction.on_commit(lambda: _dispatch(event))


def _dispatch(event: Event) -> None:
    for handler in list(_HANDLERS):
        try:
            handler(event)
        except Exception:
            logger.exception("event handler %r failed on %s", handler, event.kind)
