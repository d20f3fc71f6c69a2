"""Essential-job checks: what should ping, when, and what it said (pings, state changes)."""

from __future__ import annotations

import uuid
import zoneinfo
from datetime import datetime, timedelta

from cronsim import CronSim, CronSimError
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from regie.core.models import TimeStampedModel


class CheckKind(models.TextChoices):
    BACKUP = "backup", _("Backup")
    UPDATE = "update", _("Update")
    SCHEDULED_JOB = "scheduled_job", _("Scheduled job")
    OTHER = "other", _("Other")


class CheckStatus(models.TextChoices):
    NEW = "new", _("New")
    UP = "up", _("Up")
    LATE = "late", _("Late")
    DOWN = "down", _("Down")
    PAUSED = "paused", _("Paused")


OUTAGE = (CheckStatus.LATE, CheckStatus.DOWN)


class ScheduleKind(models.TextChoices):
    PERIOD = "period", _("Every period")
    CRON = "cron", _("Cron expression")


DEFAULT_TIME_ZONE = "Europe/Paris"


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("“%(value)s” is not a known time zone (for example Europe/Paris)."),
            code="invalid_time_zone",
            params={"value": value},
        ) from None


def validate_cron(value: str) -> None:
    try:
        CronSim(value, datetime(2026, 1, 1, tzinfo=zoneinfo.ZoneInfo("UTC")))
    except CronSimError as error:
        raise ValidationError(
            _(
                "“%(value)s” is not a valid cron expression (five fields: minute, hour, day "
                "of month, month, day of week, for example “0 22 * * 1-5”): %(error)s."
            ),
            code="invalid_cron",
            params={"value": value, "error": error},
        ) from None


class Check(TimeStampedModel):
    """A job that must report (ping) on a schedule: a backup, an update, a scheduled task.

    ``late_at`` and ``down_at`` are the moments the check becomes late and down if nothing
    comes; they are recomputed on every ping and schedule change, so the periodic
    evaluation is a plain indexed query.
    """

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(
        _("kind"), max_length=20, choices=CheckKind.choices, default=CheckKind.BACKUP
    )
    description = models.TextField(_("description"), blank=True)
    site = models.ForeignKey(
        "directory.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checks",
        verbose_name=_("site"),
    )
    assets = models.ManyToManyField(
        "assets.Asset", blank=True, related_name="checks", verbose_name=_("assets")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_checks",
        verbose_name=_("owner"),
    )
    ping_uuid = models.UUIDField(_("ping code"), default=uuid.uuid4, unique=True, editable=False)

    schedule_kind = models.CharField(
        _("schedule"), max_length=10, choices=ScheduleKind.choices, default=ScheduleKind.PERIOD
    )
    period_minutes = models.PositiveIntegerField(
        _("period (minutes)"),
        null=True,
        blank=True,
        help_text=_("Expected time between two runs, e.g. 1440 for once a day."),
    )
    cron = models.CharField(
        _("cron expression"),
        max_length=100,
        blank=True,
        validators=[validate_cron],
        help_text=_("Five fields: minute hour day-of-month month day-of-week."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=DEFAULT_TIME_ZONE,
        validators=[validate_time_zone],
    )
    grace_minutes = models.PositiveIntegerField(
        _("grace time (minutes)"),
        default=60,
        help_text=_("How long after the expected time the check stays late before going down."),
    )
    start_grace_minutes = models.PositiveIntegerField(
        _("start grace (minutes)"),
        null=True,
        blank=True,
        help_text=_(
            "If set, the job must signal its start (or success) within this time after the "
            "expected time, however long it may then run."
        ),
    )
    min_duration_seconds = models.PositiveIntegerField(
        _("minimum duration (seconds)"),
        null=True,
        blank=True,
        help_text=_("A success sooner than this after its start counts as a failure."),
    )
    min_size_bytes = models.PositiveBigIntegerField(
        _("minimum size (bytes)"),
        null=True,
        blank=True,
        help_text=_("A ping reporting a smaller size (parameter size=) counts as a failure."),
    )
    failure_keywords = models.CharField(
        _("failure keywords"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated words that mark a run as failed when found in its log."),
    )

    status = models.CharField(
        _("status"), max_length=10, choices=CheckStatus.choices, default=CheckStatus.NEW
    )
    last_ping_at = models.DateTimeField(_("last run reported"), null=True, blank=True)
    last_start_at = models.DateTimeField(_("last start"), null=True, blank=True)
    last_duration = models.FloatField(_("last duration (seconds)"), null=True, blank=True)
    late_at = models.DateTimeField(_("late from"), null=True, blank=True)
    down_at = models.DateTimeField(_("down from"), null=True, blank=True)
    outage_flip = models.ForeignKey(
        "checks.Flip",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("start of the current outage"),
    )
    # Rate limiting of the ping endpoint: pings counted in the current minute.
    rate_minute = models.PositiveBigIntegerField(default=0, editable=False)
    rate_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("check")
        verbose_name_plural = _("checks")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "down_at"], name="checks_status_down_idx"),
            models.Index(fields=["status", "late_at"], name="checks_status_late_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(schedule_kind=ScheduleKind.PERIOD)
                | models.Q(period_minutes__gte=1),
                name="checks_period_required",
                violation_error_message=_("A period schedule needs a period of at least a minute."),
            ),
            models.CheckConstraint(
                condition=~models.Q(schedule_kind=ScheduleKind.CRON) | ~models.Q(cron=""),
                name="checks_cron_required",
                violation_error_message=_("A cron schedule needs a cron expression."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("checks:check-detail", args=[self.pk])

    # --- schedule ----------------------------------------------------------------------------
    @property
    def grace(self) -> timedelta:
        return timedelta(minutes=self.grace_minutes)

    @property
    def keywords(self) -> list[str]:
        return [
            word.strip().casefold() for word in self.failure_keywords.split(",") if word.strip()
        ]

    def next_due(self, after: datetime) -> datetime:
        """When the next run is expected, the previous one having reported at ``after``."""
        if self.schedule_kind == ScheduleKind.CRON:
            zone = zoneinfo.ZoneInfo(self.time_zone)
            return next(CronSim(self.cron, after.astimezone(zone)))
        return after + timedelta(minutes=self.period_minutes or 0)

    def deadlines(self, *, reference: datetime | None = None) -> tuple[datetime, datetime] | None:
        """``(late_at, down_at)`` given the last reported run and the last start.

        ``reference`` replaces the last run (a check resumed from pause starts afresh then).
        Without a start pending and with a start grace, the check is down once the start
        grace has passed; once started, the ordinary grace runs from the start.
        """
        base = reference or self.last_ping_at
        if base is None:
            return None
        due = self.next_due(base)
        started = self.last_start_at is not None and self.last_start_at > base
        if started:
            assert self.last_start_at is not None  # noqa: S101  # checked just above
            return due, max(due, self.last_start_at) + self.grace
        if self.start_grace_minutes is not None:
            start_grace = timedelta(minutes=self.start_grace_minutes)
            return due, due + min(start_grace, self.grace)
        return due, due + self.grace

    def clean(self) -> None:
        if self.schedule_kind == ScheduleKind.PERIOD:
            if not self.period_minutes:
                raise ValidationError(
                    {"period_minutes": _("A period schedule needs a period of at least a minute.")}
                )
        elif not self.cron:
            raise ValidationError({"cron": _("A cron schedule needs a cron expression.")})

    @property
    def badge_class(self) -> str:
        return f"check-{self.status}"

    def schedule_display(self) -> str:
        if self.schedule_kind == ScheduleKind.CRON:
            return f"{self.cron} ({self.time_zone})"
        minutes = self.period_minutes or 0
        if minutes % 1440 == 0:
            return ngettext("every day", "every %(count)d days", minutes // 1440) % {
                "count": minutes // 1440
            }
        if minutes % 60 == 0:
            return ngettext("every hour", "every %(count)d hours", minutes // 60) % {
                "count": minutes // 60
            }
        return ngettext("every minute", "every %(count)d minutes", minutes) % {"count": minutes}

    @property
    def is_running(self) -> bool:
        return self.last_start_at is not None and (
            self.last_ping_at is None or self.last_start_at > self.last_ping_at
        )

    def status_at(self, now: datetime | None = None) -> str:
        """The status the periodic evaluation will give at ``now``."""
        now = now or timezone.now()
        if self.status in (CheckStatus.UP, CheckStatus.LATE):
            if self.down_at is not None and now >= self.down_at:
                return CheckStatus.DOWN
            if self.late_at is not None and now >= self.late_at:
                return CheckStatus.LATE
        return self.status


class PingKind(models.TextChoices):
    SUCCESS = "success", _("Success")
    START = "start", _("Start")
    FAIL = "fail", _("Failure")


class FailureReason(models.TextChoices):
    NONE = "", _("None")
    SIGNALLED = "signalled", _("Failure signalled")
    EXIT_STATUS = "exit_status", _("Non-zero exit status")
    KEYWORD = "keyword", _("Failure keyword in the log")
    TOO_SHORT = "too_short", _("Finished too soon after its start")
    TOO_SMALL = "too_small", _("Reported size too small")


class Ping(models.Model):
    """One request to a check's ping URL; its body is the run's log (truncated at the cap)."""

    check_obj = models.ForeignKey(
        Check,
        on_delete=models.CASCADE,
        related_name="pings",
        verbose_name=_("check"),
        db_column="check_id",
    )
    at = models.DateTimeField(_("received at"), db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=PingKind.choices)
    reason = models.CharField(
        _("failure reason"), max_length=20, choices=FailureReason.choices, blank=True
    )
    exit_status = models.PositiveSmallIntegerField(_("exit status"), null=True, blank=True)
    duration = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("reported size (bytes)"), null=True, blank=True)
    remote_addr = models.GenericIPAddressField(_("remote address"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=10)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    body = models.TextField(_("log"), blank=True)
    body_truncated = models.BooleanField(_("log truncated"), default=False)

    class Meta:
        verbose_name = _("ping")
        verbose_name_plural = _("pings")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["check_obj", "-id"], name="checks_ping_check_idx")]

    def __str__(self) -> str:
        return f"{self.check_obj_id} {self.kind} {self.at:%Y-%m-%d %H:%M:%S}"


class Flip(models.Model):
    """One change of a check's status, with why."""

    check_obj = models.ForeignKey(
        Check,
        on_delete=models.CASCADE,
        related_name="flips",
        verbose_name=_("check"),
        db_column="check_id",
    )
    from_status = models.CharField(_("from"), max_length=10, choices=CheckStatus.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=CheckStatus.choices)
    at = models.DateTimeField(_("at"), db_index=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.check_obj_id}: {self.from_status} → {self.to_status}"
