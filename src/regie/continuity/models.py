"""The continuity mode: each time the plan was declared (and ended), and the message sent.

An :class:`Activation` is the record of one continuity period: who declared it and when,
until which day, who ended it, the message template used and what each section did (JSON,
kept for the record). At most one is active at a time (a database constraint).
"""

from __future__ import annotations

import string
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regie.core.continuity import Mode
from regie.core.models import TimeStampedModel

# The placeholders a message may use, and what they stand for (shown beside the form).
PLACEHOLDERS = {
    "name": _("the person's full name"),
    "ends_on": _("the last day of the plan"),
    "readiness": _("their readiness to work from home (Ready, To check, Not ready)"),
    "reasons": _("what is missing or to check, one line each"),
    "delivery": _("the equipment that will be delivered to them, if any"),
    "charter": _("the link to the IT charter"),
}

DEFAULT_SUBJECT = "Plan de continuité : les bureaux ferment, voici ce qui vous concerne"
DEFAULT_BODY = """Bonjour {name},

Le plan de continuité est déclenché jusqu'au {ends_on} inclus : les bureaux ferment et
chacun travaille depuis chez soi.

Votre poste pour le télétravail : {readiness}.
{reasons}

Matériel qui vous sera livré : {delivery}

Avant de travailler à distance, relisez la charte informatique : {charter}

Vos appels de bureau seront renvoyés ; en cas de problème, contactez l'équipe informatique.

L'équipe informatique
"""


def template_fields(text: str) -> list[str]:
    """The placeholders named in ``text``; ValueError when a brace is left open."""
    return [name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name]


def validate_message(text: str) -> None:
    try:
        names = template_fields(text)
    except ValueError:
        raise ValidationError(
            _("A brace is not closed: write placeholders as {name}, and a brace as {{ or }}."),
            code="invalid_template",
        ) from None
    unknown = sorted({name for name in names if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            _("Unknown placeholder: %(names)s. Use: %(known)s."),
            code="unknown_placeholder",
            params={
                "names": ", ".join("{%s}" % name for name in unknown),  # noqa: UP031  # braces
                "known": ", ".join("{%s}" % name for name in PLACEHOLDERS),  # noqa: UP031
            },
        )


class MessageTemplate(TimeStampedModel):
    """The message sent to every staff member when the plan is declared (one row)."""

    subject = models.CharField(_("subject"), max_length=200, default=DEFAULT_SUBJECT)
    body = models.TextField(_("message"), default=DEFAULT_BODY, validators=[validate_message])

    class Meta:
        verbose_name = _("continuity message")
        verbose_name_plural = _("continuity messages")

    def __str__(self) -> str:
        return str(_("Continuity message"))

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("continuity:message")

    def clean(self) -> None:
        validate_message(self.subject)

    @classmethod
    def current(cls) -> MessageTemplate:
        """The template in use (the default French one until an administrator edits it)."""
        template = cls.objects.order_by("pk").first()
        return template if template is not None else cls()

    def render(self, values: dict[str, Any]) -> tuple[str, str]:
        return self.subject.format_map(values), self.body.format_map(values)


class ActivationQuerySet(models.QuerySet["Activation"]):
    def active(self) -> ActivationQuerySet:
        return self.filter(active=True)


class Activation(TimeStampedModel):
    """One continuity period, from its declaration to its end; kept after it ends."""

    active = models.BooleanField(_("in force"), default=True)
    started_at = models.DateTimeField(_("declared at"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("declared by"),
    )
    ends_on = models.DateField(_("until"), help_text=_("The last day the offices are closed."))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    message_subject = models.CharField(_("message subject"), max_length=200, blank=True)
    message_body = models.TextField(_("message sent"), blank=True)
    messages_queued = models.PositiveIntegerField(_("messages queued"), default=0)
    results = models.JSONField(_("what each section did"), default=dict, blank=True)

    objects = ActivationQuerySet.as_manager()

    class Meta:
        verbose_name = _("continuity activation")
        verbose_name_plural = _("continuity activations")
        ordering = ["-started_at", "-pk"]
        constraints = [
            # Two administrators declaring at once: the database keeps one.
            models.UniqueConstraint(
                fields=["active"],
                condition=Q(active=True),
                name="activation_one_active",
                violation_error_message=_("The continuity plan is already declared."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Continuity plan of %(date)s")) % {"date": f"{self.started_at:%d/%m/%Y}"}

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("continuity:page")


def current_mode() -> Mode | None:
    """The mode in force, read by lower apps through ``regie.core.continuity.active_mode``."""
    activation = Activation.objects.active().only("started_at", "ends_on").first()
    if activation is None:
        return None
    return Mode(started_at=activation.started_at, ends_on=activation.ends_on)
