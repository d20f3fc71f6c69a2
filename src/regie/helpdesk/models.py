"""Tickets: categories, SLA targets, tickets, follow-ups, attachments and their timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.assets.models import Asset
from regie.core.collation import collated
from regie.core.models import TimeStampedModel
from regie.directory.models import Person, Site
from regie.helpdesk.choices import (
    OPEN_STATUSES,
    EventKind,
    Level,
    Priority,
    SlaState,
    TicketSource,
    TicketStatus,
    WaitingFor,
)
from regie.helpdesk.querysets import TicketQuerySet


class Category(TimeStampedModel):
    """A kind of problem (printer, network…), possibly under a broader one."""

    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent category"),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive categories are no longer offered.")
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = [collated("name")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "parent",
                name="helpdesk_category_unique_name_per_parent",
                violation_error_message=_("This category already exists here."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent is not None else self.name

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A category cannot be placed under itself.")})
            ancestor = ancestor.parent


class SlaTarget(TimeStampedModel):
    """How much working time the IT team allows itself per priority."""

    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, unique=True
    )
    first_response_minutes = models.PositiveIntegerField(
        _("first response (working minutes)"), validators=[MinValueValidator(1)]
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution (working minutes)"), validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        ordering = ["priority"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolution_minutes__gte=F("first_response_minutes")),
                name="helpdesk_sla_resolution_after_response",
                violation_error_message=_(
                    "The resolution time cannot be shorter than the first response time."
                ),
            )
        ]

    def __str__(self) -> str:
        return str(self.get_priority_display())


def _level_field(label: Any) -> models.PositiveSmallIntegerField[Any, Any]:
    return models.PositiveSmallIntegerField(label, choices=Level.choices, default=Level.MEDIUM)


class Ticket(TimeStampedModel):
    """A problem or request reported by a member of staff.

    Its status only changes through ``services.change_ticket_status``. The SLA deadlines are
    stored when the ticket opens (and moved when it waits); ``*_warn_at`` is the moment from
    which the deadline is "at risk".
    """

    requester = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("requester")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    source = models.CharField(
        _("source"), max_length=10, choices=TicketSource.choices, default=TicketSource.PORTAL
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("category"),
    )
    urgency = _level_field(_("urgency"))
    impact = _level_field(_("impact"))
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.P3, editable=False
    )
    status = models.CharField(
        _("status"), max_length=12, choices=TicketStatus.choices, default=TicketStatus.NEW
    )
    waiting_for = models.CharField(
        _("waiting for"), max_length=12, choices=WaitingFor.choices, blank=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("assigned to"),
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("site"),
    )
    assets = models.ManyToManyField(
        Asset, blank=True, related_name="tickets", verbose_name=_("equipment")
    )
    needs_visit = models.BooleanField(
        _("needs a visit"), default=False, help_text=_("Someone has to go on site.")
    )
    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True)
    first_response_warn_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    resolution_warn_at = models.DateTimeField(null=True, blank=True, editable=False)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    paused_since = models.DateTimeField(_("SLA paused since"), null=True, blank=True)
    sla_paused_seconds = models.PositiveIntegerField(
        _("SLA paused (working seconds)"), default=0, editable=False
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    satisfaction_comment = models.TextField(_("satisfaction comment"), blank=True)
    satisfaction_at = models.DateTimeField(_("satisfaction given at"), null=True, blank=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "priority"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["site", "status"]),
            models.Index(fields=["resolution_due"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="helpdesk_ticket_satisfaction_1_to_5",
                violation_error_message=_("Satisfaction is a mark from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=Q(urgency__gte=1, urgency__lte=5) & Q(impact__gte=1, impact__lte=5),
                name="helpdesk_ticket_levels_1_to_5",
                violation_error_message=_("Urgency and impact go from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=~Q(status="waiting") | ~Q(waiting_for=""),
                name="helpdesk_ticket_waiting_for_whom",
                violation_error_message=_("Say whom the ticket is waiting for."),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("helpdesk:ticket-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def _clock(self, now: datetime | None) -> datetime:
        """The SLA clock: stopped while the ticket waits."""
        return self.paused_since or now or timezone.now()

    def first_response_state(self, now: datetime | None = None) -> SlaState | None:
        if self.first_response_due is None:
            return None
        if self.first_response_at is not None:
            on_time = self.first_response_at <= self.first_response_due
            return SlaState.MET if on_time else SlaState.BREACHED
        if not self.is_open:
            return None
        return _state(self._clock(now), self.first_response_warn_at, self.first_response_due)

    def resolution_state(self, now: datetime | None = None) -> SlaState | None:
        if self.resolution_due is None:
            return None
        if self.resolved_at is not None and not self.is_open:
            return SlaState.MET if self.resolved_at <= self.resolution_due else SlaState.BREACHED
        return _state(self._clock(now), self.resolution_warn_at, self.resolution_due)

    @property
    def sla_state(self) -> SlaState | None:
        """The worse of the two deadlines, for lists."""
        states = {self.first_response_state(), self.resolution_state()}
        for state in (SlaState.BREACHED, SlaState.AT_RISK, SlaState.OK, SlaState.MET):
            if state in states:
                return state
        return None

    def get_sla_state_display(self) -> str:
        state = self.sla_state
        return str(state.label) if state is not None else "—"


def _state(clock: datetime, warn_at: datetime | None, due: datetime) -> SlaState:
    if clock > due:
        return SlaState.BREACHED
    if warn_at is not None and clock >= warn_at:
        return SlaState.AT_RISK
    return SlaState.OK


class FollowUp(TimeStampedModel):
    """A message on a ticket; private ones are notes of the IT team, never shown to staff."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="followups", verbose_name=_("ticket")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("text"))
    private = models.BooleanField(
        _("private"), default=False, help_text=_("Only the IT team sees private follow-ups.")
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket}: {self.text[:50]}"


class Attachment(TimeStampedModel):
    """A file joined to a ticket, stored under a random name outside the web root."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("ticket")
    )
    followup = models.ForeignKey(
        FollowUp,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("follow-up"),
    )
    original_name = models.CharField(_("file name"), max_length=255)
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("helpdesk:attachment-download", args=[self.pk])

    @property
    def private(self) -> bool:
        return self.followup is not None and self.followup.private


class TicketEvent(models.Model):
    """One line of a ticket's timeline: created, status changed, assigned…"""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="events", verbose_name=_("ticket")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    old_value = models.CharField(_("before"), max_length=200, blank=True)
    new_value = models.CharField(_("after"), max_length=200, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.old_value} → {self.new_value}"
