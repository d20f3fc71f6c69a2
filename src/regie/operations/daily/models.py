"""The main courante: what the people on duty acknowledged, noted and handed over.

Every entry of the log is a :class:`LogEntry`, newest first. Acknowledging a round item also
keeps an :class:`Acknowledgement` (one per item), which the "Aujourd'hui" page reads to show
the item as seen, by whom and with which comment, for as long as its source reports it.
Entries are never edited or deleted: the log is its own history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.core.events import Severity
from regie.core.models import TimeStampedModel

COMMENT_MAX_LENGTH = 1000
NOTE_MAX_LENGTH = 4000
SOURCE_KEY_MAX_LENGTH = 50
ITEM_KEY_MAX_LENGTH = 200


class LogKind(models.TextChoices):
    NOTE = "note", _("Note")
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
    HAND_OVER = "hand_over", _("Hand-over note")


class Acknowledgement(TimeStampedModel):
    """Someone on duty has seen a round item. The title, link and severity are copied from
    the item as it was, so the log still reads right once the source stops reporting it."""

    source_key = models.CharField(_("source"), max_length=SOURCE_KEY_MAX_LENGTH)
    item_key = models.CharField(_("item"), max_length=ITEM_KEY_MAX_LENGTH)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("link"), max_length=500, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    site = models.ForeignKey(
        "directory.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
    )
    comment = models.CharField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["-acknowledged_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key", "item_key"],
                name="one_acknowledgement_per_round_item",
                violation_error_message=_("This item has already been acknowledged."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class LogEntry(TimeStampedModel):
    """One line of the main courante: an acknowledgement, a free note or a hand-over note.

    The latest hand-over note's time is the ``since`` the round's sources receive: what is
    new since the last person on duty handed over.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=LogKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    text = models.CharField(_("text"), max_length=NOTE_MAX_LENGTH, blank=True)
    acknowledgement = models.OneToOneField(
        Acknowledgement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="log_entry",
        verbose_name=_("acknowledgement"),
    )
    site = models.ForeignKey(
        "directory.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
    )

    class Meta:
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["kind", "-at"], name="daily_log_kind_at")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=LogKind.ACKNOWLEDGEMENT, acknowledgement__isnull=False)
                    | (~Q(kind=LogKind.ACKNOWLEDGEMENT) & Q(acknowledgement__isnull=True))
                ),
                name="log_acknowledgement_iff_kind",
                violation_error_message=_(
                    "An acknowledgement entry, and only one, refers to an acknowledgement."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(text="") | Q(kind=LogKind.ACKNOWLEDGEMENT),
                name="log_note_has_text",
                violation_error_message=_("Write something."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class HandOverNote(LogEntry):
    """The hand-over notes alone (a view of the log for the API)."""

    class Meta:
        proxy = True
        verbose_name = _("hand-over note")
        verbose_name_plural = _("hand-over notes")
        ordering = ["-at", "-id"]
