"""Interventions (anything that needs a visit) and the route plans that schedule them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regie.core.models import TimeStampedModel
from regie.field.querysets import InterventionQuerySet

MAX_DURATION_MINUTES = 600


class InterventionKind(models.TextChoices):
    TICKET = "ticket", _("Ticket")
    MAINTENANCE = "maintenance", _("Planned maintenance")
    LOAN_DELIVERY = "loan_delivery", _("Loan delivery")
    LOAN_COLLECTION = "loan_collection", _("Loan collection")
    AUDIT = "audit", _("Audit")
    CONSUMABLE = "consumable", _("Consumables (toner…)")
    OTHER = "other", _("Other")


class InterventionStatus(models.TextChoices):
    TO_PLAN = "to_plan", _("To plan")
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")


class Intervention(TimeStampedModel):
    """Something a technician must do on site: a repair, a delivery, toner, an audit…

    ``origin`` points at the record the visit comes from (a helpdesk ticket, a loan) when
    there is one; ``reference`` holds an outside reference otherwise.
    """

    kind = models.CharField(
        _("kind"), max_length=20, choices=InterventionKind.choices, default=InterventionKind.OTHER
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    site = models.ForeignKey(
        "directory.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interventions",
        verbose_name=_("site"),
        help_text=_("Required to plan the visit."),
    )
    assets = models.ManyToManyField(
        "assets.Asset", blank=True, related_name="interventions", verbose_name=_("equipment")
    )
    duration_minutes = models.PositiveIntegerField(
        _("estimated duration (minutes)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)],
    )
    earliest_date = models.DateField(_("not before"), null=True, blank=True)
    latest_date = models.DateField(_("due by"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InterventionStatus.choices,
        default=InterventionStatus.TO_PLAN,
        db_index=True,
    )
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, help_text=_("Ticket number, order…")
    )
    origin_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("origin type"),
    )
    origin_id = models.PositiveBigIntegerField(_("origin id"), null=True, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = InterventionQuerySet.as_manager()

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["-priority", F("latest_date").asc(nulls_last=True), "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latest_date__isnull=True)
                | Q(earliest_date__isnull=True)
                | Q(latest_date__gte=F("earliest_date")),
                name="intervention_due_after_earliest",
                violation_error_message=_("The due date cannot be before the earliest date."),
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1)
                & Q(duration_minutes__lte=MAX_DURATION_MINUTES),
                name="intervention_duration_range",
                violation_error_message=_("The duration must be between 1 and 600 minutes."),
            ),
            models.CheckConstraint(
                condition=(Q(origin_type__isnull=True) & Q(origin_id__isnull=True))
                | (Q(origin_type__isnull=False) & Q(origin_id__isnull=False)),
                name="intervention_origin_complete",
                violation_error_message=_("Give both the origin type and its id, or neither."),
            ),
        ]
        indexes = [models.Index(fields=["site", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("field:intervention-detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status in {InterventionStatus.TO_PLAN, InterventionStatus.PLANNED}


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    REPLACED = "replaced", _("Replaced")


class DropReason(models.TextChoices):
    NO_SITE = "no_site", _("No site")
    NO_POSITION = "no_position", _("The site has no coordinates")
    NOT_DUE = "not_due", _("Outside its date range")
    CLOSED = "closed", _("The site is closed that day")
    WINDOW_TOO_SHORT = "window_too_short", _("No opening period long enough for the duration")
    OUTSIDE_DAY = "outside_day", _("Does not fit in the working day")
    NO_TIME = "no_time", _("No time left in the day (higher priorities first)")


class RoutePlan(TimeStampedModel):
    """The round of one day for one or more technicians, from and back to a base."""

    date = models.DateField(_("date"), db_index=True)
    base = models.ForeignKey(
        "directory.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("base")
    )
    day_start = models.TimeField(_("start of the working day"))
    day_end = models.TimeField(_("end of the working day"))
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.PLANNED
    )
    road_factor = models.DecimalField(_("road factor"), max_digits=4, decimal_places=2)
    speed_kmh = models.PositiveSmallIntegerField(_("average speed (km/h)"))
    distance_m = models.PositiveIntegerField(_("planned distance (m)"), default=0)
    driving_s = models.PositiveIntegerField(_("planned driving time (s)"), default=0)
    baseline_distance_m = models.PositiveIntegerField(
        _("distance in priority order (m)"), default=0
    )
    method = models.CharField(_("method"), max_length=20, blank=True)
    solve_ms = models.PositiveIntegerField(_("computation time (ms)"), default=0)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replaced by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planned by"),
    )

    class Meta:
        verbose_name = _("route plan")
        verbose_name_plural = _("route plans")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(day_end__gt=F("day_start")),
                name="route_plan_day_ends_after_start",
                violation_error_message=_("The working day must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return str(_("Round of %(date)s") % {"date": self.date.strftime("%d/%m/%Y")})

    def get_absolute_url(self) -> str:
        return reverse("field:routeplan-detail", args=[self.pk])

    @property
    def distance_km(self) -> float:
        return round(self.distance_m / 1000, 1)

    @property
    def saved_km(self) -> float:
        return round(max(0, self.baseline_distance_m - self.distance_m) / 1000, 1)

    @property
    def driving_minutes(self) -> int:
        return round(self.driving_s / 60)


class TechnicianRoute(models.Model):
    """One technician's part of a plan: when they leave and come back, how far they drive."""

    plan = models.ForeignKey(
        RoutePlan, on_delete=models.CASCADE, related_name="routes", verbose_name=_("plan")
    )
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("technician"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    leave_at = models.TimeField(_("leaves the base at"))
    back_at = models.TimeField(_("back at the base at"))
    distance_m = models.PositiveIntegerField(_("planned distance (m)"))
    driving_s = models.PositiveIntegerField(_("planned driving time (s)"))
    actual_km = models.DecimalField(
        _("kilometres driven"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("technician's route")
        verbose_name_plural = _("technicians' routes")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "technician"],
                name="route_one_per_technician",
                violation_error_message=_("This technician already has a route in this plan."),
            ),
            models.CheckConstraint(
                condition=Q(actual_km__isnull=True) | Q(actual_km__gte=0),
                name="route_actual_km_positive",
                violation_error_message=_("Kilometres driven cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} — {self.technician}"

    @property
    def distance_km(self) -> float:
        return round(self.distance_m / 1000, 1)

    @property
    def driving_minutes(self) -> int:
        return round(self.driving_s / 60)


class RouteStop(models.Model):
    """One planned visit: which intervention, in which order, at what time."""

    route = models.ForeignKey(
        TechnicianRoute, on_delete=models.CASCADE, related_name="stops", verbose_name=_("route")
    )
    sequence = models.PositiveSmallIntegerField(_("order"))
    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="stops", verbose_name=_("intervention")
    )
    arrival = models.TimeField(_("arrival"))
    start = models.TimeField(_("start"))
    departure = models.TimeField(_("departure"))
    travel_s = models.PositiveIntegerField(_("driving time from the previous place (s)"))
    distance_m = models.PositiveIntegerField(_("distance from the previous place (m)"))
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        ordering = ["route", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "sequence"], name="route_stop_unique_sequence"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sequence}. {self.intervention}"

    @property
    def distance_km(self) -> float:
        return round(self.distance_m / 1000, 1)

    @property
    def travel_minutes(self) -> int:
        return round(self.travel_s / 60)

    @property
    def waits(self) -> bool:
        return self.start > self.arrival


class UnplannedIntervention(models.Model):
    """An intervention asked for in a plan that could not be fitted, and why."""

    plan = models.ForeignKey(
        RoutePlan, on_delete=models.CASCADE, related_name="unplanned", verbose_name=_("plan")
    )
    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="+", verbose_name=_("intervention")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=DropReason.choices)

    class Meta:
        verbose_name = _("intervention not planned")
        verbose_name_plural = _("interventions not planned")
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return f"{self.intervention}: {self.get_reason_display()}"
