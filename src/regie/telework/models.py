"""Telework: the IT charter, the pool of lendable equipment with its reservations and loans,
the reminders sent about loans, and what is recorded by hand of each person's remote access
(MFA, Office 365 licence)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.assets.models import Asset
from regie.core.models import TimeStampedModel
from regie.directory.models import Person
from regie.telework.querysets import LoanQuerySet, ReservationQuerySet


class Charter(TimeStampedModel):
    """One version of the organisation's IT charter; the current one is the latest in force."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    effective_date = models.DateField(_("effective date"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("IT charter")
        verbose_name_plural = _("IT charters")
        ordering = ["-effective_date", "-pk"]

    def __str__(self) -> str:
        return str(_("IT charter, version %(version)s")) % {"version": self.version}

    def get_absolute_url(self) -> str:
        return reverse("telework:charter-detail", args=[self.pk])

    @classmethod
    def current(cls, today: datetime.date | None = None) -> Charter | None:
        """The latest version in force on ``today``."""
        today = today or timezone.localdate()
        return (
            cls.objects.filter(effective_date__lte=today).order_by("-effective_date", "-pk").first()
        )


class ReservationStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_OUT = "checked_out", _("Checked out")
    CANCELLED = "cancelled", _("Cancelled")


class Reservation(TimeStampedModel):
    """A piece of the pool booked for a person from ``start`` to ``end`` (end excluded, so
    one loan may start when the previous one ends)."""

    asset = models.ForeignKey(
        Asset, on_delete=models.PROTECT, related_name="reservations", verbose_name=_("equipment")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="reservations", verbose_name=_("person")
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReservationStatus.choices,
        default=ReservationStatus.BOOKED,
    )
    notes = models.TextField(_("notes"), blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booked by"),
    )

    objects = ReservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["asset", "start", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="reservation_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset} — {self.person} ({timezone.localdate(self.start):%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("telework:reservation-detail", args=[self.pk])


class ReturnCondition(models.TextChoices):
    GOOD = "good", _("Good")
    DAMAGED = "damaged", _("Damaged")
    MISSING_ACCESSORIES = "missing_accessories", _("Missing accessories")


class CharterAcceptance(TimeStampedModel):
    """A person accepting one version of the charter by typing their full name."""

    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="charter_acceptances",
        verbose_name=_("person"),
    )
    charter = models.ForeignKey(
        Charter, on_delete=models.PROTECT, related_name="acceptances", verbose_name=_("charter")
    )
    accepted_at = models.DateTimeField(_("accepted at"))
    typed_name = models.CharField(_("typed name"), max_length=201)

    class Meta:
        verbose_name = _("charter acceptance")
        verbose_name_plural = _("charter acceptances")
        ordering = ["-accepted_at"]

    def __str__(self) -> str:
        return f"{self.person} — {self.charter}"


class Loan(TimeStampedModel):
    """Equipment of the pool lent to a person, from check-out until check-in."""

    asset = models.ForeignKey(
        Asset, on_delete=models.PROTECT, related_name="loans", verbose_name=_("equipment")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="loans", verbose_name=_("person")
    )
    reservation = models.OneToOneField(
        Reservation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="loan",
        verbose_name=_("reservation"),
    )
    acceptance = models.OneToOneField(
        CharterAcceptance,
        on_delete=models.PROTECT,
        related_name="loan",
        verbose_name=_("charter acceptance"),
    )
    checked_out_at = models.DateTimeField(_("checked out at"))
    due_date = models.DateField(_("due date"))
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked out by"),
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_condition = models.CharField(
        _("condition on return"), max_length=30, choices=ReturnCondition.choices, blank=True
    )
    return_note = models.TextField(_("return note"), blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )

    objects = LoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-checked_out_at", "-pk"]
        constraints = [
            # The database refuses lending the same equipment twice at once.
            models.UniqueConstraint(
                fields=["asset"],
                condition=Q(returned_at__isnull=True),
                name="loan_one_open_per_asset",
                violation_error_message=_("This equipment is already on loan."),
            ),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | ~Q(return_condition=""),
                name="loan_returned_with_condition",
                violation_error_message=_("A returned loan must state the condition."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset} — {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("telework:loan-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.returned_at is None

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.is_open and self.due_date < (today or timezone.localdate())


class ReminderKind(models.TextChoices):
    BEFORE_DUE = "before_due", _("Before the due date")
    OVERDUE = "overdue", _("Overdue")


class LoanReminder(TimeStampedModel):
    """A reminder mailed about a loan; one of each kind per loan, at most."""

    loan = models.ForeignKey(
        Loan, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("loan")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("sent at"))
    recipient = models.EmailField(_("recipient"))

    class Meta:
        verbose_name = _("loan reminder")
        verbose_name_plural = _("loan reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["loan", "kind"],
                name="loanreminder_once_per_kind",
                violation_error_message=_("This reminder has already been sent."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan} — {self.get_kind_display()}"


class RemoteAccess(TimeStampedModel):
    """What is known by hand of a person's remote access: MFA and the Office 365 licence."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="remote_access", verbose_name=_("person")
    )
    mfa_enrolled = models.BooleanField(_("MFA enrolled"), default=False)
    office365_licence = models.BooleanField(_("Office 365 licence"), default=False)
    recorded_on = models.DateField(_("recorded on"), default=timezone.localdate)
    source = models.CharField(
        _("source"),
        max_length=100,
        blank=True,
        help_text=_("Where the information comes from (admin console export, phone call…)."),
    )

    class Meta:
        verbose_name = _("remote access")
        verbose_name_plural = _("remote access records")
        ordering = ["person"]

    def __str__(self) -> str:
        return str(self.person)

    def get_absolute_url(self) -> str:
        return reverse("telework:remoteaccess-detail", args=[self.pk])
